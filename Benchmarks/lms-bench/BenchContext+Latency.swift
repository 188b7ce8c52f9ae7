import Contracts
import Foundation
import Kafka

/// Figure 2: `platform.user.created` for new hires at a steady rate → `lms.enrollment.created`
/// from the new-hire rule, p50/p99/max. Baseline: raw produce → consume through the same broker.
extension BenchContext {
    func latency(rate: Int, seconds: Int) async throws -> [FigureRow] {
        let course = "new-hire-orientation"
        try await putCourse(course, #"{"title":"New hire orientation","modules":["welcome","policies"],"defaultDueDays":14}"#)
        _ = try await activateRule(
            name: "New hires", course: course, criteria: #"{"all":[{"field":"hireDate","op":"withinLastDays","value":30}]}"#)
        let total = rate * seconds
        let sent = Locked<[String: ContinuousClock.Instant]>([:])
        let latencies = Locked<[Double]>([])
        log("latency: \(total) new hires at \(rate)/s")
        let onMessage: @Sendable (KafkaConsumerMessage, ContinuousClock.Instant) -> Void = { message, at in
            guard let user = createdEnrollment(message, course: course), let published = sent.withLock({ $0.removeValue(forKey: user) }) else {
                return
            }
            latencies.withLock { $0.append((at - published).milliseconds) }
        }
        try await KafkaSession.with(
            brokers: settings.brokers, consume: ["lms.enrollments.v1"],
            onMessage: onMessage
        ) { producer in
            let events = try (0..<total).map {
                try CloudEvent.make(DataGenerator.newHire(tenant: tenant, userId: "hire-\($0)"), source: "/lms-bench")
            }
            try await paced(events.map(Self.message), rate: rate, producer: producer) { index, at in
                sent.withLock { $0["hire-\(index)"] = at }
            }
            try await waitUntil("\(total) new-hire enrollments", timeout: .seconds(300)) { latencies.withLock { $0.count } >= total }
        }
        let service = Percentiles(latencies.withLock { $0 })

        let topic = "lms-bench.latency"
        let rawSent = Locked<[String: ContinuousClock.Instant]>([:])
        let raw = Locked<[Double]>([])
        try await KafkaSession.with(brokers: settings.brokers) { producer in
            _ = try await producer.send(KafkaProducerMessage(topic: topic, key: "warm-up", value: Array("0".utf8)))
        }
        let onRawMessage: @Sendable (KafkaConsumerMessage, ContinuousClock.Instant) -> Void = { message, at in
            guard let key = message.keyString, let published = rawSent.withLock({ $0.removeValue(forKey: key) }) else { return }
            raw.withLock { $0.append((at - published).milliseconds) }
        }
        try await KafkaSession.with(
            brokers: settings.brokers, consume: [topic],
            onMessage: onRawMessage
        ) { producer in
            let prefix = UUID().uuidString.prefix(8)
            let messages = (0..<total).map { KafkaProducerMessage(topic: topic, key: "\(prefix)-\($0)", value: Array("{}".utf8)) }
            try await paced(messages, rate: rate, producer: producer) { index, at in
                rawSent.withLock { $0["\(prefix)-\(index)"] = at }
            }
            try await waitUntil("\(total) raw messages", timeout: .seconds(120)) { raw.withLock { $0.count } >= total }
        }
        let baseline = Percentiles(raw.withLock { $0 })
        return [
            FigureRow(
                figure: "event→enrollment p50", value: service.value(50), unit: "ms", baseline: baseline.value(50), target: "-", lowerIsBetter: true),
            FigureRow(
                figure: "event→enrollment p99", value: service.value(99), unit: "ms", baseline: baseline.value(99), target: "<= 100 ms at 1000/s",
                lowerIsBetter: true),
            FigureRow(figure: "event→enrollment max", value: service.max, unit: "ms", baseline: baseline.max, target: "-", lowerIsBetter: true),
        ]
    }

    /// Enqueues `messages` at `rate` per second in 10 ms ticks; `stamp` records each send instant.
    func paced(
        _ messages: [KafkaProducerMessage], rate: Int, producer: KafkaProducer,
        stamp: @Sendable (Int, ContinuousClock.Instant) -> Void
    ) async throws {
        let perTick = max(1, rate / 100)
        let clock = ContinuousClock()
        let start = clock.now
        var index = 0
        var tick = 0
        while index < messages.count {
            for _ in 0..<perTick where index < messages.count {
                stamp(index, clock.now)
                try await producer.enqueue(messages[index])
                index += 1
            }
            tick += 1
            try await clock.sleep(until: start + .milliseconds(10 * tick))
        }
    }
}
