import CRdKafka

/// What the main queue told us, copied out of the C event so it can cross threads.
enum RDKafkaEvent: Sendable {
    /// A delivery report: the message's opaque id, where it landed, or why it failed.
    case delivery(opaque: UInt, partition: Int32, offset: Int64?, error: KafkaError?)
    case log(level: Int32, facility: String, message: String)
    case error(KafkaError)
    case statistics(String)

    /// Translates one `rd_kafka_event_t` (not destroyed here) into zero or more Swift events.
    static func translate(_ event: OpaquePointer) -> [RDKafkaEvent] {
        switch rd_kafka_event_type(event) {
        case RD_KAFKA_EVENT_DR:
            var events: [RDKafkaEvent] = []
            events.reserveCapacity(Int(rd_kafka_event_message_count(event)))
            while let message = rd_kafka_event_message_next(event) {
                let error = message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : RDKafkaClient.error(message.pointee.err)
                events.append(
                    .delivery(
                        opaque: UInt(bitPattern: message.pointee._private), partition: message.pointee.partition,
                        offset: error == nil ? message.pointee.offset : nil, error: error))
            }
            return events
        case RD_KAFKA_EVENT_LOG:
            var facility: UnsafePointer<CChar>?
            var text: UnsafePointer<CChar>?
            var level: Int32 = 0
            guard rd_kafka_event_log(event, &facility, &text, &level) == 0 else { return [] }
            return [.log(level: level, facility: facility.map { String(cString: $0) } ?? "", message: text.map { String(cString: $0) } ?? "")]
        case RD_KAFKA_EVENT_ERROR:
            let code = rd_kafka_event_error(event)
            var error = RDKafkaClient.error(code, message: rd_kafka_event_error_string(event).map { String(cString: $0) })
            if rd_kafka_event_error_is_fatal(event) != 0 { error.isFatal = true }
            return [.error(error)]
        case RD_KAFKA_EVENT_STATS:
            return rd_kafka_event_stats(event).map { [.statistics(String(cString: $0))] } ?? []
        default:
            return []
        }
    }
}
