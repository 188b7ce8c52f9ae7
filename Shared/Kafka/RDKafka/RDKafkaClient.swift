import CRdKafka
import Dispatch
import Logging

/// The one owner of an `rd_kafka_t`. Every librdkafka call of the producer and the consumer
/// goes through here; nothing above this type sees a C pointer.
///
/// Blocking calls (polls with a timeout, flush, commit, close) run on a private serial queue,
/// never on Swift's cooperative pool. librdkafka's own threads never run Swift code: logs,
/// errors, statistics and delivery reports arrive as events on the main queue and are polled.
///
/// `@unchecked Sendable`: librdkafka handles are thread-safe for the calls made here; the
/// pointers are set once in `init` and released once in `deinit`.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer
        case consumer
    }

    private let handle: OpaquePointer
    private let mainQueue: OpaquePointer
    /// Runs consumer polls, commits, close and other blocking calls.
    private let blockingQueue: DispatchQueue
    /// Runs the main-queue event polls, so they never delay a consumer poll (and vice versa).
    private let eventQueue: DispatchQueue
    private let rebalanceContext: RebalanceContext?
    /// The consumer's message queue (nil for producers).
    private let consumerQueue: OpaquePointer?
    let logger: Logger

    init(kind: Kind, properties: [String: String], startingOffsets: KafkaStartingOffsets? = nil, logger: Logger) throws(KafkaError) {
        self.logger = logger
        let context = kind == .consumer ? RebalanceContext(logger: logger, startingOffsets: startingOffsets) : nil
        let created = try RDKafkaConfig.handle(
            kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER,
            properties: properties.merging(["log.queue": "true"]) { _, new in new }
        ) { conf in
            rd_kafka_conf_set_events(
                conf,
                (kind == .producer ? RD_KAFKA_EVENT_DR : 0) | RD_KAFKA_EVENT_LOG | RD_KAFKA_EVENT_ERROR | RD_KAFKA_EVENT_STATS
            )
            if let context {
                rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
                rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback)
            }
        }
        self.handle = created
        self.rebalanceContext = context
        self.mainQueue = rd_kafka_queue_get_main(created)
        self.consumerQueue = kind == .consumer ? rd_kafka_queue_get_consumer(created) : nil
        rd_kafka_set_log_queue(created, mainQueue)
        let label = "lms.kafka.\(kind == .producer ? "producer" : "consumer")"
        self.blockingQueue = DispatchQueue(label: label)
        self.eventQueue = DispatchQueue(label: label + ".events")
    }

    /// The value of a librdkafka property as the running client has it (`nil` when unknown).
    func configurationValue(_ name: String) -> String? {
        guard let conf = rd_kafka_conf(handle) else { return nil }
        var size = 0
        guard rd_kafka_conf_get(conf, name, nil, &size) == RD_KAFKA_CONF_OK, size > 0 else { return nil }
        var value = [CChar](repeating: 0, count: size)
        guard rd_kafka_conf_get(conf, name, &value, &size) == RD_KAFKA_CONF_OK else { return nil }
        return value.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit {
        if let consumerQueue { rd_kafka_queue_destroy(consumerQueue) }
        rd_kafka_queue_destroy(mainQueue)
        rd_kafka_destroy(handle)
    }

    /// Runs `work` on one of this client's serial queues (by default the blocking one) and
    /// resumes with its result.
    func blocking<T: Sendable>(on queue: DispatchQueue? = nil, _ work: @escaping @Sendable (OpaquePointer) -> T) async -> T {
        let handle = SendablePointer(self.handle)
        return await withCheckedContinuation { continuation in
            (queue ?? blockingQueue).async { continuation.resume(returning: work(handle.pointer)) }
        }
    }

    // MARK: - Events (main queue)

    /// Waits up to `timeoutMilliseconds` for events on the main queue and returns what arrived.
    func pollEvents(timeoutMilliseconds: Int32, maxEvents: Int = 256) async -> [RDKafkaEvent] {
        let queue = SendablePointer(mainQueue)
        return await blocking(on: eventQueue) { _ in
            var events: [RDKafkaEvent] = []
            var timeout = timeoutMilliseconds
            while events.count < maxEvents, let event = rd_kafka_queue_poll(queue.pointer, timeout) {
                events.append(contentsOf: RDKafkaEvent.translate(event))
                rd_kafka_event_destroy(event)
                timeout = 0
            }
            return events
        }
    }

    /// True when a broker answers a metadata request within the timeout.
    func brokersReachable(timeoutMilliseconds: Int32) async -> Bool {
        await blocking { handle in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let code = rd_kafka_metadata(handle, 0, nil, &metadata, timeoutMilliseconds)
            if let metadata { rd_kafka_metadata_destroy(metadata) }
            return code == RD_KAFKA_RESP_ERR_NO_ERROR
        }
    }

    // MARK: - Producing

    /// Enqueues one message; `opaque` comes back in its delivery report. The payload is copied.
    func produce(_ message: KafkaProducerMessage, opaque: UInt) throws(KafkaError) {
        var headers: OpaquePointer?
        if !message.headers.isEmpty {
            headers = rd_kafka_headers_new(message.headers.count)
            for header in message.headers {
                _ = withOptionalBytes(header.value) { pointer, count in
                    rd_kafka_header_add(headers, header.key, -1, pointer, count)
                }
            }
        }
        let error: OpaquePointer? = message.topic.withCString { topic in
            withOptionalBytes(message.key) { key, keyCount in
                withOptionalBytes(message.value) { value, valueCount in
                    withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7) { values in
                        var count = 0
                        func append(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
                            var value = rd_kafka_vu_t()
                            value.vtype = type
                            fill(&value)
                            values.initializeElement(at: count, to: value)
                            count += 1
                        }
                        append(RD_KAFKA_VTYPE_TOPIC) { $0.u.cstr = topic }
                        append(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = message.partition ?? RD_KAFKA_PARTITION_UA }
                        append(RD_KAFKA_VTYPE_KEY) {
                            $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key)
                            $0.u.mem.size = keyCount
                        }
                        append(RD_KAFKA_VTYPE_VALUE) {
                            $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value)
                            $0.u.mem.size = valueCount
                        }
                        append(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                        append(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = UnsafeMutableRawPointer(bitPattern: opaque) }
                        if let headers { append(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headers } }
                        defer { values.baseAddress.map { _ = $0.deinitialize(count: count) } }
                        return rd_kafka_produceva(handle, values.baseAddress, count)
                    }
                }
            }
        }
        if let error {
            // On failure the headers stay ours (librdkafka takes them only on success).
            if let headers { rd_kafka_headers_destroy(headers) }
            let code = rd_kafka_error_code(error)
            let text = String(cString: rd_kafka_error_string(error))
            rd_kafka_error_destroy(error)
            throw RDKafkaClient.error(code, message: text)
        }
    }

    /// Messages still queued or in flight inside librdkafka.
    var outstandingMessages: Int { Int(rd_kafka_outq_len(handle)) }

    // MARK: - Consuming

    func subscribe(topics: [String]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(capacity: topics.count)
        for topic in topics { list.add(topic: topic, partition: RD_KAFKA_PARTITION_UA) }
        // The list must outlive the call: its deinit destroys the C list.
        let code = withExtendedLifetime(list) { rd_kafka_subscribe(handle, list.pointer) }
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaClient.error(code) }
    }

    /// Blocks up to `firstTimeoutMilliseconds` for the first messages, then keeps collecting until
    /// `maxMessages` or until `lingerMilliseconds` after the first one (0: only what is already fetched).
    /// Reads many messages per call from the consumer queue; rebalance callbacks are served inside.
    func pollBatch(maxMessages: Int, firstTimeoutMilliseconds: Int32, lingerMilliseconds: Int64) async -> [KafkaConsumerMessage] {
        let queue = consumerQueue.map(SendablePointer.init)
        return await blocking { handle in
            guard let queue else { return [] }
            var batch: [KafkaConsumerMessage] = []
            var topics = TopicNameCache()
            func take(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
                defer { rd_kafka_message_destroy(message) }
                guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    if message.pointee.err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                        let error = RDKafkaClient.error(message.pointee.err, message: RDKafkaClient.messageText(message))
                        self.logger.warning("Kafka consumer error", metadata: ["error": "\(error)"])
                    }
                    return
                }
                batch.append(RDKafkaClient.consumerMessage(message, topics: &topics))
            }
            // Wait for the first message only: a lone message must not wait for a full batch.
            guard let first = rd_kafka_consumer_poll(handle, firstTimeoutMilliseconds) else { return [] }
            take(first)
            // Then drain what is already fetched (and, with a linger, what arrives meanwhile).
            let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(lingerMilliseconds, 0)) * 1_000_000
            let raw = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: maxMessages)
            defer { raw.deallocate() }
            while batch.count < maxMessages {
                let now = DispatchTime.now().uptimeNanoseconds
                let timeout = now < deadline ? Int32((deadline - now) / 1_000_000) : 0
                let count = rd_kafka_consume_batch_queue(queue.pointer, timeout, raw, maxMessages - batch.count)
                for index in 0..<max(count, 0) {
                    if let message = raw[index] { take(message) }
                }
                if count <= 0 || DispatchTime.now().uptimeNanoseconds >= deadline { break }
            }
            return batch
        }
    }

    /// Stores `offsets` (already +1: the next offset to read) for auto-commit. Partitions no longer
    /// assigned are reported back (librdkafka refuses them with `_STATE`); their messages will be
    /// redelivered to the new owner, which is what at-least-once means.
    func storeOffsets(_ offsets: [KafkaTopicPartition: Int64]) -> [KafkaTopicPartition] {
        guard !offsets.isEmpty else { return [] }
        let list = RDKafkaTopicPartitionList(capacity: offsets.count)
        for (partition, offset) in offsets {
            list.add(topic: partition.topic, partition: partition.partition, offset: offset)
        }
        _ = rd_kafka_offsets_store(handle, list.pointer)
        return list.elements.filter { $0.error != RD_KAFKA_RESP_ERR_NO_ERROR }.map(\.topicPartition)
    }

    /// Synchronously commits the stored offsets. "Nothing to commit" is not an error.
    func commitStoredOffsets() async -> KafkaError? {
        await blocking { handle in
            let code = rd_kafka_commit(handle, nil, 0)
            if code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR__NO_OFFSET { return nil }
            return RDKafkaClient.error(code)
        }
    }

    /// The partitions currently assigned to this group member.
    func assignment() -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        let wrapped = RDKafkaTopicPartitionList(owning: list)
        return wrapped.elements.map(\.topicPartition)
    }

    /// Leaves the group (committing stored offsets through the revoke path) and stops fetching.
    func closeConsumer() async -> KafkaError? {
        await blocking { handle in
            let code = rd_kafka_consumer_close(handle)
            return code == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : RDKafkaClient.error(code)
        }
    }

    // MARK: - Helpers

    static func error(_ code: rd_kafka_resp_err_t, message: String? = nil) -> KafkaError {
        KafkaError(
            code: KafkaError.Code(rawValue: code.rawValue),
            name: String(cString: rd_kafka_err2name(code)),
            message: message ?? String(cString: rd_kafka_err2str(code)),
            isFatal: code == RD_KAFKA_RESP_ERR__FATAL
        )
    }

    private static func messageText(_ raw: UnsafeMutablePointer<rd_kafka_message_t>) -> String {
        guard let payload = raw.pointee.payload, raw.pointee.len > 0 else {
            return String(cString: rd_kafka_err2str(raw.pointee.err))
        }
        let bytes = UnsafeRawBufferPointer(start: payload, count: raw.pointee.len)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func consumerMessage(_ raw: UnsafeMutablePointer<rd_kafka_message_t>, topics: inout TopicNameCache) -> KafkaConsumerMessage {
        let message = raw.pointee
        var headers: [KafkaHeader] = []
        var headerList: OpaquePointer?
        if rd_kafka_message_headers(raw, &headerList) == RD_KAFKA_RESP_ERR_NO_ERROR, let headerList {
            var index = 0
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(headerList, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let key = name.map { String(cString: $0) } ?? ""
                let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append(KafkaHeader(key: key, value: bytes))
                index += 1
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(raw, &timestampType)
        return KafkaConsumerMessage(
            topic: topics.name(of: message.rkt),
            partition: message.partition,
            offset: message.offset,
            key: message.key.map { Array(UnsafeRawBufferPointer(start: $0, count: message.key_len)) },
            value: message.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: message.len)) },
            headers: headers,
            timestampMilliseconds: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
        )
    }
}

/// Topic names of consumed messages, converted once per topic handle instead of once per message.
struct TopicNameCache {
    private var last: (handle: OpaquePointer, name: String)?

    mutating func name(of handle: OpaquePointer?) -> String {
        guard let handle else { return "" }
        if let last, last.handle == handle { return last.name }
        let name = String(cString: rd_kafka_topic_name(handle))
        last = (handle, name)
        return name
    }
}

/// Calls `body` with a pointer to the bytes (nil for a nil array) and their count.
func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
    guard let bytes else { return body(nil, 0) }
    return bytes.withUnsafeBytes { body($0.baseAddress, $0.count) }
}

/// A C pointer carried into a `@Sendable` closure.
/// `@unchecked Sendable`: only used for librdkafka queue handles, which are thread-safe.
struct SendablePointer: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}
