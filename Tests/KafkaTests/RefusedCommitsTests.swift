import Testing

@testable import Kafka

@Suite struct RefusedCommitsTests {
    let p0 = TopicPartition(topic: "t", partition: 0)
    let p1 = TopicPartition(topic: "t", partition: 1)

    @Test func aRefusedRevocationCommitIsRetriedAndThenForgotten() {
        var commits = RefusedCommits()
        commits.didStore([p0: 10, p1: 20])
        commits.committedStored(of: [p0, p1], error: .rebalanceInProgress)
        commits.revoked([p0, p1])
        let retry = commits.retry(committed: [p0: 4])
        #expect(retry == [p0: 10, p1: 20])
        commits.retried(retry, error: .rebalanceInProgress)
        #expect(commits.refused == [p0: 10, p1: 20], "refused again: kept")
        commits.retried(retry, error: nil)
        #expect(commits.isEmpty)
    }

    @Test func aCommitThatSucceededLeavesNothing() {
        var commits = RefusedCommits()
        commits.didStore([p0: 10])
        commits.committedStored(of: [p0], error: nil)
        #expect(commits.isEmpty)
        #expect(commits.retry(committed: [:]).isEmpty)
    }

    @Test func aRetryNeverMovesTheGroupsCommittedOffsetBack() {
        var commits = RefusedCommits()
        commits.didStore([p0: 10, p1: 20])
        commits.committedStored(of: [p0, p1], error: .rebalanceInProgress)
        commits.revoked([p0, p1])
        // The new owner of p1 committed 25 meanwhile; p0's owner is still behind.
        #expect(commits.retry(committed: [p0: 3, p1: 25]) == [p0: 10])
        #expect(commits.refused == [p0: 10], "p1 is settled")
        // Equal is settled too.
        #expect(commits.retry(committed: [p0: 10]).isEmpty)
        #expect(commits.isEmpty)
    }

    @Test func withoutTheGroupsAnswerNothingIsCommittedAndNothingForgotten() {
        var commits = RefusedCommits()
        commits.didStore([p0: 10])
        commits.committedStored(of: [p0], error: .rebalanceInProgress)
        commits.revoked([p0])
        #expect(commits.retry(committed: nil).isEmpty, "another owner may be ahead")
        #expect(commits.refused == [p0: 10])
    }

    @Test func offsetsStoredAfterARefusalAreKeptTheHighest() {
        var commits = RefusedCommits()
        commits.didStore([p0: 10])
        commits.committedStored(of: [p0], error: .rebalanceInProgress)
        let first = commits.retry(committed: [:])
        commits.didStore([p0: 15])
        commits.committedStored(of: [p0], error: .requestTimedOut)
        #expect(commits.refused == [p0: 15])
        // The retry of 10 succeeded, but 15 was refused meanwhile: 15 stays.
        commits.retried(first, error: nil)
        #expect(commits.refused == [p0: 15])
    }

    @Test func betweenRebalancesOnlyHeldPartitionsAreRetriedWithoutAsking() {
        var commits = RefusedCommits()
        commits.didStore([p0: 10, p1: 20])
        commits.committedStored(of: [p0, p1], error: .requestTimedOut)
        commits.revoked([p1])
        #expect(commits.retry(holding: [p0]) == [p0: 10])
    }

    @Test func onlyPartitionsWithStoredOffsetsAreKept() {
        var commits = RefusedCommits()
        commits.didStore([p0: 10])
        commits.committedStored(of: [p0, p1], error: .rebalanceInProgress)
        #expect(commits.refused == [p0: 10])
    }
}
