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
        log("latency: \(total) new hires at \(rate)/s")
        let hires = (0..<total).map { "hire-\($0)" }
        let events = try hires.map { try CloudEvent.make(DataGenerator.newHire(tenant: tenant, userId: $0), source: "/lms-bench") }
        let cost = await costSnapshot()
        let service = try await latencies(
            of: events.map(Self.message), keys: hires, rate: rate, arrivingOn: "lms.enrollments.v1", as: "new-hire enrollments",
            timeout: .seconds(300)
        ) { createdEnrollment($0, course: course) }
        await recordCost(since: cost, "new hire at \(rate)/s", units: total, unit: "event")

        let topic = "lms-bench.latency"
        try await KafkaSession.with(brokers: settings.brokers) { producer in
            _ = try await producer.send(KafkaProducerMessage(topic: topic, key: "warm-up", value: Array("0".utf8)))
        }
        let prefix = UUID().uuidString.prefix(8)
        let keys = (0..<total).map { "\(prefix)-\($0)" }
        let baseline = try await latencies(
            of: keys.map { KafkaProducerMessage(topic: topic, key: $0, value: Array("{}".utf8)) }, keys: keys, rate: rate, arrivingOn: topic,
            as: "raw messages", timeout: .seconds(120)
        ) { $0.keyString }
        return [
            FigureRow(
                figure: "event→enrollment p50", value: service.value(50), unit: "ms", baseline: baseline.value(50), target: "-", lowerIsBetter: true),
            FigureRow(
                figure: "event→enrollment p99", value: service.value(99), unit: "ms", baseline: baseline.value(99), target: "<= 100 ms at 1000/s",
                lowerIsBetter: true),
            FigureRow(figure: "event→enrollment max", value: service.max, unit: "ms", baseline: baseline.max, target: "-", lowerIsBetter: true),
        ]
    }

    /// Milliseconds from sending each of `messages` (at `rate` per second) until `arrived` names its key on `topic`.
    private func latencies(
        of messages: [KafkaProducerMessage], keys: [String], rate: Int, arrivingOn topic: String, as what: String, timeout: Duration,
        arrived: @escaping @Sendable (KafkaConsumerMessage) -> String?
    ) async throws -> Percentiles {
        let sent = Locked<[String: ContinuousClock.Instant]>([:])
        let latencies = Locked<[Double]>([])
        let onMessage: @Sendable (KafkaConsumerMessage, ContinuousClock.Instant) -> Void = { message, at in
            guard let key = arrived(message), let published = sent.withLock({ $0.removeValue(forKey: key) }) else { return }
            latencies.withLock { $0.append((at - published).milliseconds) }
        }
        try await KafkaSession.with(brokers: settings.brokers, consume: [topic], onMessage: onMessage) { producer in
            try await paced(messages, rate: rate, producer: producer) { index, at in
                sent.withLock { $0[keys[index]] = at }
            }
            try await waitUntil("\(messages.count) \(what)", timeout: timeout) { latencies.withLock { $0.count } >= messages.count }
        }
        return Percentiles(latencies.withLock { $0 })
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
