import Foundation
import Kafka
import TestSupport
import Testing

@Suite("Kafka layer against the development broker", .serialized, .hangGuard)
struct KafkaRoundTripTests {
    @Test func producedMessagesArriveWithKeysAndCloudEventHeaders() async throws {
        let kafka = try KafkaTestCluster()
        let topic = try kafka.makeTopic()
        let producer = try kafka.producer()
        let consumer = try kafka.consumer(group: "g-\(UUID())", topics: [topic])
        let sent = (0..<10).map { index in
            KafkaProducerMessage(
                topic: topic, key: "acme/user-\(index)", value: Array("{\"n\":\(index)}".utf8),
                headers: [
                    KafkaHeader(key: "ce_specversion", value: "1.0"), KafkaHeader(key: "ce_id", value: UUID().uuidString),
                    KafkaHeader(key: "ce_type", value: "lms.user.upserted"), KafkaHeader(key: "content-type", value: "application/json"),
                    KafkaHeader(key: "empty", value: nil),
                ]
            )
        }
        let received = try await withRunning([producer, consumer], logger: kafka.logger) {
            for message in sent {
                let report = try await producer.send(message)
                #expect(report.topic == topic)
                #expect(report.offset != nil)
            }
            return await collect(consumer, count: sent.count)
        }
        #expect(received.count == sent.count)
        for message in sent {
            let match = try #require(received.first { $0.key == message.key })
            #expect(match.value == message.value)
            #expect(match.headers == message.headers)
            #expect(match.topic == topic)
            #expect(match.timestampMilliseconds != nil)
        }
    }

    @Test func ordersMessagesPerKeyAcrossTwelvePartitions() async throws {
        let kafka = try KafkaTestCluster()
        let topic = try kafka.makeTopic(partitions: 12)
        let producer = try kafka.producer()
        let consumer = try kafka.consumer(group: "g-\(UUID())", topics: [topic])
        let keys = (0..<40).map { "acme/learner-\($0)" }
        let messages = (0..<25).flatMap { sequence in
            keys.map { KafkaProducerMessage(topic: topic, key: $0, value: Array(String(sequence).utf8)) }
        }
        let received = try await withRunning([producer, consumer], logger: kafka.logger) {
            let reports = await producer.send(batch: messages)
            #expect(reports.filter(\.isDelivered).count == messages.count)
            return await collect(consumer, count: messages.count)
        }
        #expect(received.count == messages.count)
        var sequences: [String: [Int]] = [:]
        var partitions: [String: Set<Int32>] = [:]
        for message in received {
            let key = try #require(message.keyString)
            sequences[key, default: []].append(Int(String(decoding: message.value ?? [], as: UTF8.self)) ?? -1)
            partitions[key, default: []].insert(message.partition)
        }
        for key in keys {
            #expect(sequences[key] == Array(0..<25), "order of \(key)")
            #expect(partitions[key]?.count == 1, "\(key) stays on one partition")
        }
        #expect(Set(partitions.values.flatMap { $0 }).count > 6, "keys spread over the partitions")
    }

    @Test func unstoredOffsetsAreRedeliveredAndStoredOnesAreNot() async throws {
        let kafka = try KafkaTestCluster()
        let topic = try kafka.makeTopic(partitions: 4)
        let group = "g-\(UUID())"
        let producer = try kafka.producer()
        let messages = (0..<50).map { KafkaProducerMessage(topic: topic, key: "k\($0)", value: Array("v\($0)".utf8)) }

        try await withRunning([producer], logger: kafka.logger) {
            let delivered = await producer.send(batch: messages).filter(\.isDelivered).count
            #expect(delivered == messages.count)
        }
        // Processed but never stored: as if the process died before storing offsets.
        let crashed = try kafka.consumer(group: group, topics: [topic])
        let first = try await withRunning([crashed], logger: kafka.logger) {
            await collect(crashed, count: messages.count, storeOffsets: false)
        }
        #expect(first.count == messages.count)

        let second = try kafka.consumer(group: group, topics: [topic])
        let again = try await withRunning([second], logger: kafka.logger) {
            await collect(second, count: messages.count, storeOffsets: true)
        }
        #expect(Set(again.map(\.offset)) == Set(first.map(\.offset)), "everything is delivered again")
        #expect(again.count == messages.count)

        let producerTwo = try kafka.producer()
        let third = try kafka.consumer(group: group, topics: [topic])
        let afterStore = try await withRunning([producerTwo, third], logger: kafka.logger) {
            try await producerTwo.send(KafkaProducerMessage(topic: topic, key: "late", value: Array("late".utf8)))
            return await collect(third, count: 2, timeout: .seconds(12))
        }
        #expect(afterStore.map(\.keyString) == ["late"], "stored offsets are not redelivered; only the new message arrives")
    }

    @Test func groupMembersSplitPartitionsAndTheSurvivorTakesOver() async throws {
        let kafka = try KafkaTestCluster()
        let topic = try kafka.makeTopic(partitions: 12)
        let group = "g-\(UUID())"
        let producer = try kafka.producer()
        let survivor = try kafka.consumer(group: group, topics: [topic])
        let leaving = try kafka.consumer(group: group, topics: [topic])
        try await withRunning([producer, survivor], logger: kafka.logger) {
            let split = try await withRunning([leaving], logger: kafka.logger) {
                // Both members must hold a share of the partitions before one leaves. They poll
                // (a rebalance only progresses while members poll) until the split is seen; a
                // busy machine may need most of the minute.
                let clock = ContinuousClock()
                let deadline = clock.now.advanced(by: .seconds(60))
                let polling = Task {
                    async let drainSurvivor: [KafkaConsumerMessage] = collect(survivor, count: .max, timeout: .seconds(60))
                    async let drainLeaving: [KafkaConsumerMessage] = collect(leaving, count: .max, timeout: .seconds(60))
                    _ = await (drainSurvivor, drainLeaving)
                }
                var split = (0, 0)
                while clock.now < deadline {
                    split = (survivor.assignment.count, leaving.assignment.count)
                    if split.0 > 0 && split.1 > 0 && split.0 + split.1 == 12 { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                polling.cancel()
                await polling.value
                return split
            }
            #expect(split.0 > 0 && split.1 > 0, "both members got partitions: \(split)")
            #expect(split.0 + split.1 == 12)

            // The survivor takes over every partition after the other member left the group.
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(30))
            async let keepPolling = collect(survivor, timeout: .seconds(30)) { _ in survivor.assignment.count == 12 }
            while survivor.assignment.count < 12 && clock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            _ = await keepPolling
            #expect(survivor.assignment.count == 12)

            let messages = (0..<120).map { KafkaProducerMessage(topic: topic, key: "k\($0)", value: Array("v\($0)".utf8)) }
            let delivered = await producer.send(batch: messages).filter(\.isDelivered).count
            #expect(delivered == messages.count)
            let expectedKeys = Set(messages.map { String(decoding: $0.key ?? [], as: UTF8.self) })
            let received = await collect(survivor, timeout: .seconds(30)) { batch in
                Set(batch.compactMap(\.keyString)).isSuperset(of: expectedKeys)
            }
            #expect(Set(received.compactMap(\.keyString)).isSuperset(of: expectedKeys))
            #expect(Set(received.map(\.partition)).count == 12, "the survivor now reads every partition")
        }
    }

    @Test func deliveryFailureSurfacesAsAnErrorNotAHang() async throws {
        let kafka = try KafkaTestCluster()
        let topic = try kafka.makeTopic()
        let producer = try kafka.producer(messageTimeoutMilliseconds: 1_500)
        try await withRunning([producer], logger: kafka.logger) {
            try kafka.cluster.setBrokerDown()
            let clock = ContinuousClock()
            let started = clock.now
            await #expect(throws: KafkaError.self) {
                try await producer.send(KafkaProducerMessage(topic: topic, key: "k", value: Array("v".utf8)))
            }
            #expect(clock.now - started < .seconds(10))
            try kafka.cluster.setBrokerUp()
        }
    }

    @Test func retriableProduceErrorsAreRetriedWithoutDuplicatesOrReordering() async throws {
        let kafka = try KafkaTestCluster()
        let topic = try kafka.makeTopic(partitions: 1)
        let producer = try kafka.producer()
        let consumer = try kafka.consumer(group: "g-\(UUID())", topics: [topic])
        kafka.cluster.pushRequestErrors(.produce, errors: [.notLeaderForPartition, .requestTimedOut, .notEnoughReplicas])
        let messages = (0..<300).map { KafkaProducerMessage(topic: topic, key: "one-key", value: Array(String($0).utf8)) }
        let received = try await withRunning([producer, consumer], logger: kafka.logger) {
            let delivered = await producer.send(batch: messages).filter(\.isDelivered).count
            #expect(delivered == messages.count)
            return await collect(consumer, count: messages.count + 1, timeout: .seconds(10))
        }
        #expect(received.map { String(decoding: $0.value ?? [], as: UTF8.self) } == (0..<300).map(String.init))
    }

    @Test func shutdownFlushesFireAndForgetMessages() async throws {
        let kafka = try KafkaTestCluster()
        let topic = try kafka.makeTopic()
        let producer = try kafka.producer()
        let messages = (0..<2_000).map { KafkaProducerMessage(topic: topic, key: "k\($0 % 50)", value: Array("v\($0)".utf8)) }
        try await withRunning([producer], logger: kafka.logger) {
            for message in messages { try await producer.enqueue(message) }
        }
        #expect(producer.outstandingMessages == 0)
        let consumer = try kafka.consumer(group: "g-\(UUID())", topics: [topic])
        let received = try await withRunning([consumer], logger: kafka.logger) {
            await collect(consumer, count: messages.count)
        }
        #expect(received.count == messages.count)
    }

    @Test func sendAfterShutdownIsRefused() async throws {
        let kafka = try KafkaTestCluster()
        let topic = try kafka.makeTopic()
        let producer = try kafka.producer()
        try await withRunning([producer], logger: kafka.logger) {}
        await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerMessage(topic: topic, key: "k", value: nil))
        }
    }
}
