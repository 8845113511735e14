import Kafka
import Testing

@testable import Pipeline

/// The readiness state machine, step by step with a fake clock.
@Suite struct HealthStateTests {
    let start = ContinuousClock.now
    func at(_ seconds: Int) -> ContinuousClock.Instant { start + .seconds(seconds) }
    func consumer(_ state: PipelineHealthState, _ seconds: Int) -> HealthVerdict { state.readiness(now: at(seconds))[0] }
    func producer(_ state: PipelineHealthState, _ seconds: Int) -> HealthVerdict { state.readiness(now: at(seconds))[1] }

    @Test func notReadyUntilTheGroupAssignsEvenNothing() {
        var state = PipelineHealthState()
        #expect(consumer(state, 0).ok == false)
        #expect(consumer(state, 0).reason == "joining consumer group: no assignment yet")
        state.assigned(total: 0, now: at(1))
        #expect(consumer(state, 1).ok, "a member waiting for partitions is ready")
        state.assigned(total: 3, now: at(2))
        #expect(consumer(state, 2).details["assigned_partitions"] == 3)
        state.revoked(total: 0)
        #expect(consumer(state, 3).ok, "a rebalance in progress is not a failure")
    }

    @Test func allBrokersDownUntilABrokerShowsLife() {
        var state = PipelineHealthState()
        state.assigned(total: 3, now: at(0))
        state.clientError(KafkaError(name: "_TRANSPORT", message: "connection refused", code: .transport), now: at(1))
        #expect(consumer(state, 2).ok, "one failing connection is within the grace period")
        state.clientError(KafkaError(name: "_ALL_BROKERS_DOWN", message: "3/3 brokers are down", code: .allBrokersDown), now: at(2))
        #expect(consumer(state, 4).ok == false)
        #expect(consumer(state, 4).reason == "brokers unreachable for 2s (_ALL_BROKERS_DOWN)")
        state.brokerAlive(now: at(5))
        #expect(consumer(state, 5).ok)
    }

    @Test func persistentTransportErrorsFailAfterTheGrace() {
        var state = PipelineHealthState()
        state.assigned(total: 3, now: at(0))
        state.clientError(KafkaError(name: "_TRANSPORT", message: "connection refused", code: .transport), now: at(1))
        state.clientError(KafkaError(name: "_TRANSPORT", message: "connection refused", code: .transport), now: at(10))
        #expect(consumer(state, 15).ok)
        #expect(consumer(state, 16).ok == false)
        #expect(consumer(state, 16).reason == "broker connections failing for 15s (_TRANSPORT)")
        state.brokerAlive(now: at(17))
        #expect(consumer(state, 17).ok)
    }

    @Test func fatalErrorsStay() {
        var state = PipelineHealthState()
        state.assigned(total: 3, now: at(0))
        state.clientError(KafkaError(name: "_FATAL", message: "producer fenced", isFatal: true), now: at(1))
        state.brokerAlive(now: at(2))
        #expect(consumer(state, 3).reason == "fatal Kafka client error _FATAL")
    }

    @Test func producerIsWedgedWhenDeliveriesStopProgressing() {
        var state = PipelineHealthState()
        state.deliveryEnqueued(now: at(0))
        state.deliveryEnqueued(now: at(10))
        state.deliveryFinished(now: at(30))
        #expect(producer(state, 89).ok)
        state.deliveryFailed(code: "_MSG_TIMED_OUT")
        #expect(producer(state, 90).ok == false)
        #expect(producer(state, 90).reason == "1 outputs unacknowledged for 60s (last error _MSG_TIMED_OUT)")
        state.deliveryFinished(now: at(91))
        #expect(producer(state, 500).ok, "nothing pending: idle is not wedged")
        state.deliveryEnqueued(now: at(600))
        #expect(producer(state, 601).ok, "the stall clock starts when work arrives, not at the last success")
    }

    @Test func stoppingIsNotReadyAndThePollLoopFeedsLiveness() {
        var state = PipelineHealthState()
        #expect(state.liveness(now: at(0))[0].ok, "not started yet")
        state.pollLoopAlive(now: at(1))
        #expect(state.liveness(now: at(60))[0].ok)
        #expect(state.liveness(now: at(61))[0].ok == false)
        state.assigned(total: 1, now: at(61))
        state.stop()
        #expect(consumer(state, 62).reason == "shutting down: draining in-flight events")
        #expect(state.liveness(now: at(200))[0].ok, "a draining poll loop is not a dead one")
    }

    @Test func statisticsGiveBrokersUpAndLagOfAssignedPartitions() throws {
        let json = #"""
        {"name":"c#consumer-1","type":"consumer","brokers":{
          "127.0.0.1:9092/bootstrap":{"name":"127.0.0.1:9092/bootstrap","nodeid":-1,"source":"configured","state":"INIT"},
          "127.0.0.1:9092/1":{"name":"127.0.0.1:9092/1","nodeid":1,"source":"learned","state":"UP"},
          "127.0.0.1:9093/2":{"name":"127.0.0.1:9093/2","nodeid":2,"source":"learned","state":"DOWN"},
          "GroupCoordinator":{"name":"GroupCoordinator","nodeid":-1,"source":"logical","state":"UP"}},
         "topics":{"lead.message":{"topic":"lead.message","partitions":{
          "0":{"partition":0,"desired":true,"consumer_lag":12,"consumer_lag_stored":7},
          "1":{"partition":1,"desired":false,"consumer_lag":-1},
          "2":{"partition":2,"desired":true,"consumer_lag":3},
          "-1":{"partition":-1,"desired":false,"consumer_lag":-1}}}}}
        """#
        let statistics = try #require(KafkaStatistics(json: Array(json.utf8)))
        #expect(statistics.brokersUp == 1)
        #expect(statistics.lag == [TopicPartition(topic: "lead.message", partition: 0): 7, TopicPartition(topic: "lead.message", partition: 2): 3])
        #expect(KafkaStatistics(json: Array("not json".utf8)) == nil)
    }
}

@Suite struct PartitionHealthTests {
    @Test func haltedAndStalledPartitionsTurnReadinessRed() {
        var state = PipelineHealthState()
        let now = ContinuousClock.now
        state.assigned(total: 3, now: now)
        #expect(state.readiness(now: now).allSatisfy { $0.ok })
        state.partitions(halted: ["lead.message[1]@42: _UNKNOWN_TOPIC"], stalled: [])
        let halted = state.readiness(now: now).first { $0.name == "kafka_partitions" }
        #expect(halted?.ok == false)
        #expect(halted?.reason == "stopped, an ai.error could not be produced: lead.message[1]@42: _UNKNOWN_TOPIC")
        state.partitions(halted: [], stalled: ["lead.message[2]"])
        #expect(state.readiness(now: now).first { $0.name == "kafka_partitions" }?.reason?.hasSuffix("lead.message[2]") == true)
        state.partitions(halted: [], stalled: [])
        #expect(state.readiness(now: now).allSatisfy { $0.ok })
    }
}
