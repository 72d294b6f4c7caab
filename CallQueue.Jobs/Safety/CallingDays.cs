namespace CallQueue.Jobs.Safety;

/// <summary>Weekdays a window allows; parsed by <see cref="CallingDaysParser"/> ("mon-sun", "mon,tue", "mon-fri").</summary>
[Flags]
public enum CallingDays
{
    None = 0,
    Monday = 1,
    Tuesday = 2,
    Wednesday = 4,
    Thursday = 8,
    Friday = 16,
    Saturday = 32,
    Sunday = 64,
    Weekdays = Monday | Tuesday | Wednesday | Thursday | Friday,
    MondayToSaturday = Weekdays | Saturday,
    Every = MondayToSaturday | Sunday,
}
