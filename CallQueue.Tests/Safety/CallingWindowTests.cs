using CallQueue.Jobs.Safety;

namespace CallQueue.Tests.Safety;

/// <summary>Parsing hours, days and dates; intersecting and describing windows.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallingWindowTests
{
    [TestCase("09:00-21:00", 540, 1260)]
    [TestCase("00:00-24:00", 0, 1440)]
    [TestCase(" 08:30 – 20:15 ", 510, 1215)]
    public void TryParse_Hours_HalfOpenMinutes(string text, int start, int end)
    {
        Assert.That(DailyHours.TryParse(text, out var hours), Is.True);
        Assert.That((hours.StartMinute, hours.EndMinute), Is.EqualTo((start, end)));
    }

    [TestCase("21:00-09:00")]
    [TestCase("09:00-09:00")]
    [TestCase("9:00-21:00")]
    [TestCase("09:00-24:01")]
    [TestCase("25:00-26:00")]
    [TestCase("09:60-21:00")]
    [TestCase("09:00")]
    [TestCase("")]
    [TestCase(null)]
    public void TryParse_BadHours_Refused(string? text) =>
        Assert.That(DailyHours.TryParse(text, out _), Is.False);

    [TestCase("mon-sun", CallingDays.Every)]
    [TestCase("mon-fri", CallingDays.Weekdays)]
    [TestCase("MON, tue,wed,thu,fri", CallingDays.Weekdays)]
    [TestCase("mon-fri,sun", CallingDays.Weekdays | CallingDays.Sunday)]
    [TestCase("sat", CallingDays.Saturday)]
    public void TryParse_Days(string text, CallingDays expected)
    {
        Assert.That(CallingDaysParser.TryParse(text, out var days), Is.True);
        Assert.That(days, Is.EqualTo(expected));
    }

    [TestCase("fri-mon")]
    [TestCase("monday")]
    [TestCase("mon-tue-wed")]
    [TestCase("mon,,tue")]
    [TestCase(" ")]
    public void TryParse_BadDays_Refused(string text) =>
        Assert.That(CallingDaysParser.TryParse(text, out _), Is.False);

    [Test]
    public void TryCreate_CallWindow_HoursOnItsDaysOnly()
    {
        Assert.That(CallingWindow.TryCreate("10:00", "18:00", ["mon", "fri"], out var window, out _), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(window!.HoursOn(DayOfWeek.Monday), Is.EqualTo(new DailyHours(600, 1080)));
            Assert.That(window.HoursOn(DayOfWeek.Tuesday), Is.Null);
            Assert.That(window.ToString(), Is.EqualTo("10:00–18:00 Mon, Fri"));
        });
    }

    [TestCase("18:00", "10:00", null)]
    [TestCase("22:00", "02:00", null)]
    [TestCase("10:00", "18:00", "monday")]
    [TestCase("10:00", "18:00", "mon-fri")]
    public void TryCreate_BadCallWindow_RefusedWithAReason(string start, string end, string? day)
    {
        Assert.That(CallingWindow.TryCreate(start, end, day is null ? null : [day], out var window, out var error), Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(window, Is.Null);
            Assert.That(error, Is.Not.Empty);
        });
    }

    [Test]
    public void Intersect_NarrowsEachDay()
    {
        var window = CallingWindow.Every(DailyHours.From(9, 21), CallingDays.Every)
            .Intersect(CallingWindow.Every(DailyHours.From(8, 20), CallingDays.MondayToSaturday));

        Assert.Multiple(() =>
        {
            Assert.That(window.HoursOn(DayOfWeek.Saturday), Is.EqualTo(DailyHours.From(9, 20)));
            Assert.That(window.HoursOn(DayOfWeek.Sunday), Is.Null);
            Assert.That(window.ToString(), Is.EqualTo("09:00–20:00 Mon–Sat"));
        });
    }

    [Test]
    public void ToString_DifferentHoursByDay_ListsRuns() =>
        Assert.That(LegalCallingHours.Australia.Window.ToString(), Is.EqualTo("Mon–Fri 09:00–20:00, Sat 09:00–17:00"));

    [Test]
    public void ToString_NoDay_Never() =>
        Assert.That(CallingWindow.Every(DailyHours.AllDay, CallingDays.Saturday).Intersect(CallingWindow.Every(DailyHours.AllDay, CallingDays.Sunday)).ToString(), Is.EqualTo("never"));

    [Test]
    public void TryParse_RestrictedDates()
    {
        Assert.That(RestrictedDates.TryParse("2026-12-25, 2027-01-01", out var dates, out _), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(dates.Count, Is.EqualTo(2));
            Assert.That(dates.Contains(new DateOnly(2027, 1, 1)), Is.True);
        });
    }

    [Test]
    public void TryParse_BadRestrictedDate_NamesIt()
    {
        Assert.That(RestrictedDates.TryParse("2026-12-25,25/12/2026", out _, out var invalid), Is.False);
        Assert.That(invalid, Is.EqualTo("25/12/2026"));
    }
}
