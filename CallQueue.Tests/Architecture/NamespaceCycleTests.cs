using CallQueue.Api.Hosting;
using CallQueue.Jobs.Hosting;

namespace CallQueue.Tests.Architecture;

/// <summary>
/// No namespace of CallQueue.Api or CallQueue.Jobs depends, through others or directly, on a namespace that depends on it:
/// a cycle means neither side can be understood, tested or moved without the other. Dependencies are read from the built
/// assemblies (<see cref="NamespaceDependencies"/>); a cycle is reported as its namespaces with every dependency between
/// them and an example of each, so the failure says what to move.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class NamespaceCycleTests
{
    private const string Prefix = "CallQueue.";

    /// <summary>
    /// Cycles known and being removed, each with the work that removes it. Any other cycle fails the test, and so does an
    /// entry whose cycle is gone (delete the entry then).
    /// </summary>
    private static readonly string[][] AllowedCycles =
    [
        // None. An entry (two or more namespaces) lets a known cycle through until the work that removes it lands; the
        // next test fails once it is gone, so the list never keeps a stale entry.
    ];

    private static SortedDictionary<string, SortedDictionary<string, string>> Edges { get; } = NamespaceDependencies.Read(
        [typeof(CallQueueApiExtensions).Assembly.Location, typeof(ServiceCollectionExtensions).Assembly.Location], Prefix);

    [Test]
    public void ProductionAssemblies_NamespaceDependencies_HaveNoCycleOutsideTheAllowList()
    {
        var unexpected = Cycles().Where(cycle => !AllowedCycles.Any(allowed => Same(allowed, cycle))).ToList();

        Assert.That(unexpected, Is.Empty, () => "Namespace cycles (break each by moving the types named to the namespace that owns them):\n" + Describe(unexpected));
    }

    [Test]
    public void AllowList_EveryEntry_IsStillACycle()
    {
        var cycles = Cycles();
        var gone = AllowedCycles.Where(allowed => !cycles.Any(cycle => Same(allowed, cycle))).Select(allowed => string.Join(" ↔ ", allowed)).ToList();

        Assert.That(gone, Is.Empty, "These allowed cycles are gone (or changed): delete their entries from AllowedCycles");
    }

    /// <summary>Guards the reader itself: a reader that saw nothing would find no cycle.</summary>
    [TestCase("CallQueue.Api.Calls", "CallQueue.Jobs.Calls", Description = "a signature: endpoints answer with CallRecord")]
    [TestCase("CallQueue.Jobs.Operators", "CallQueue.Jobs.Dialing", Description = "method bodies: typeof(DialCallJob)")]
    [TestCase("CallQueue.Jobs.Hosting", "CallQueue.Jobs.Storage", Description = "generic arguments and new: AddSingleton<ICallStore>, new RedisCallStore")]
    public void Read_ProductionAssemblies_SeesDependencies(string from, string to) =>
        Assert.That(Edges.GetValueOrDefault(from)?.ContainsKey(to), Is.True, $"{from} → {to}");

    /// <summary>The strongly connected components with more than one namespace (Tarjan), each sorted.</summary>
    private static List<string[]> Cycles()
    {
        var nodes = Edges.Keys.Concat(Edges.Values.SelectMany(targets => targets.Keys)).Distinct().Order(StringComparer.Ordinal).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLink = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<string[]>();

        void Visit(string node)
        {
            index[node] = lowLink[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in Edges.GetValueOrDefault(node)?.Keys ?? Enumerable.Empty<string>())
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Visit(next);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLink[node] = Math.Min(lowLink[node], nextIndex);
                }
            }

            if (lowLink[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);

                if (component.Count > 1)
                {
                    cycles.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }

        foreach (var node in nodes.Where(node => !index.ContainsKey(node)))
        {
            Visit(node);
        }

        return cycles;
    }

    private static bool Same(string[] allowed, string[] cycle) => allowed.Order(StringComparer.Ordinal).SequenceEqual(cycle, StringComparer.Ordinal);

    private static string Describe(IEnumerable<string[]> cycles) => string.Join(
        "\n",
        cycles.Select(cycle => string.Join(" ↔ ", cycle) + ":\n" + string.Join(
            "\n",
            cycle.SelectMany(from => Edges.GetValueOrDefault(from)?.Where(edge => cycle.Contains(edge.Key)).Select(edge => $"  {from} → {edge.Key} ({edge.Value})") ?? []))));
}
