import Testing

@testable import Kafka

@Suite struct RefusedCommitsTests {
    let p0 = TopicPartition(topic: "t", partition: 0)
    let p1 = TopicPartition(topic: "t", partition: 1)

    @Test func aRefusedRevocationCommitIsMadeOnRejoinAndThenForgotten() {
        var commits = RefusedCommits()
        commits.didStore([p0: 10, p1: 20])
        commits.committedStored(of: [p0, p1], error: .rebalanceInProgress)
        commits.revoked([p0, p1])
        #expect(commits.awaitingRejoin)
        let retry = commits.rejoined()
        #expect(retry == [p0: 10, p1: 20])
        #expect(!commits.awaitingRejoin)
        commits.retried(retry, error: nil)
        #expect(commits.isEmpty)
    }

    @Test func aCommitThatSucceededLeavesNothing() {
        var commits = RefusedCommits()
        commits.didStore([p0: 10])
        commits.committedStored(of: [p0], error: nil)
        #expect(commits.isEmpty)
        #expect(commits.rejoined().isEmpty)
    }

    @Test func offsetsStoredAfterARefusalAreKeptTheHighest() {
        var commits = RefusedCommits()
        commits.didStore([p0: 10])
        commits.committedStored(of: [p0], error: .rebalanceInProgress)
        commits.didStore([p0: 15])
        let first = commits.retry(holding: [p0])
        commits.committedStored(of: [p0], error: .requestTimedOut)
        #expect(commits.refused == [p0: 15])
        // The retry of 10 succeeded, but 15 was refused meanwhile: 15 stays.
        commits.retried(first, error: nil)
        #expect(commits.refused == [p0: 15])
    }

    @Test func betweenRebalancesOnlyHeldPartitionsAreRetried() {
        var commits = RefusedCommits()
        commits.didStore([p0: 10, p1: 20])
        commits.committedStored(of: [p0, p1], error: .requestTimedOut)
        commits.revoked([p1])
        #expect(commits.retry(holding: [p0]) == [p0: 10])
        #expect(!commits.awaitingRejoin)
    }

    @Test func aClosingMemberWaitsOnlyForACommitThatCanStillBeMade() {
        var commits = RefusedCommits()
        #expect(!commits.worthWaiting(holding: [p0]))
        commits.didStore([p0: 10, p1: 20])
        commits.committedStored(of: [p0, p1], error: .requestTimedOut)
        #expect(commits.worthWaiting(holding: [p0]), "a held partition can be retried")
        commits.revoked([p0])
        #expect(!commits.worthWaiting(holding: []), "no rejoin coming: nothing can commit them")
        commits.committedStored(of: [p1], error: .rebalanceInProgress)
        #expect(commits.worthWaiting(holding: []), "a rejoin is on its way")
        let retry = commits.rejoined()
        commits.retried(retry, error: .requestTimedOut)
        #expect(!commits.worthWaiting(holding: []))
        commits.retried(retry, error: .illegalGeneration)
        #expect(commits.worthWaiting(holding: []))
    }
}
