using CallQueue.Jobs.Campaigns;

namespace CallQueue.Tests.Campaigns;

/// <summary>The <see cref="CampaignStatesContract"/> on <see cref="InMemoryCampaignStates"/>: in-process only.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable]
public sealed class InMemoryCampaignStatesTests : CampaignStatesContract
{
    protected override Task<ICampaignStates> CreateAsync() => Task.FromResult<ICampaignStates>(new InMemoryCampaignStates());
}
