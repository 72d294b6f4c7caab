namespace CallQueue.Jobs.Campaigns;

/// <summary>A campaign or a batch, by id. <see cref="ToString"/> is the audit log's target (<c>campaign:{id}</c>, <c>batch:{id}</c>).</summary>
public sealed record ControlTarget(ControlScope Scope, string Id)
{
    public static ControlTarget Campaign(string id) => new(ControlScope.Campaign, id);

    public static ControlTarget Batch(string id) => new(ControlScope.Batch, id);

    public override string ToString() => (Scope == ControlScope.Campaign ? "campaign:" : "batch:") + Id;
}
