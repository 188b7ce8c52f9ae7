import Hummingbird
import Kafka

/// The control interface of the development broker (loopback HTTP, plain text answers):
///
/// - `GET  /bootstrap` — the bootstrap list
/// - `POST /brokers/{id|all}/down`, `POST /brokers/{id|all}/up`
/// - `POST /brokers/{id|all}/rtt?ms=N` — added latency (0 removes it)
/// - `POST /errors/{request}?codes=NAME,NAME` — the next requests of that type fail with these
///   errors (`request`: produce, fetch, offsetcommit, ...; `codes`: librdkafka names such as
///   `NOT_LEADER_FOR_PARTITION` or `_TRANSPORT`, or numbers)
/// - `DELETE /errors/{request}` — forget the queued errors
/// - `POST /topics/{name}?partitions=N` — create another topic
struct BrokerControl: Sendable {
    let cluster: KafkaMockCluster

    func register(on router: Router<BasicRequestContext>) {
        router.get("health") { _, _ in "ok\n" }
        router.get("bootstrap") { _, _ in cluster.bootstrapServers + "\n" }
        router.post("brokers/:broker/:action") { request, context in
            let broker = try brokerId(context.parameters.require("broker"))
            switch try context.parameters.require("action") {
            case "down": try cluster.setBrokerDown(broker)
            case "up": try cluster.setBrokerUp(broker)
            case "rtt":
                guard let milliseconds = request.uri.queryParameters["ms"].flatMap({ Int32(String($0)) }), milliseconds >= 0 else {
                    throw HTTPError(.badRequest, message: "rtt needs ?ms=N (N >= 0)")
                }
                try cluster.setRoundTripTime(milliseconds, broker: broker)
            case let other: throw HTTPError(.notFound, message: "unknown action \(other): use down, up or rtt")
            }
            return "ok\n"
        }
        router.post("errors/:request") { request, context in
            let type = try requestType(context.parameters.require("request"))
            let names = request.uri.queryParameters["codes"].map { String($0).split(separator: ",").map(String.init) } ?? []
            guard !names.isEmpty else { throw HTTPError(.badRequest, message: "errors need ?codes=NAME[,NAME...]") }
            let codes = try names.map { name in
                if let number = Int32(name) { return KafkaError.Code(rawValue: number) }
                guard let code = KafkaMockCluster.errorCode(named: name) else {
                    throw HTTPError(.badRequest, message: "unknown error code \(name)")
                }
                return code
            }
            cluster.pushRequestErrors(type, errors: codes)
            return "ok\n"
        }
        router.delete("errors/:request") { _, context in
            cluster.clearRequestErrors(try requestType(context.parameters.require("request")))
            return "ok\n"
        }
        router.post("topics/:name") { request, context in
            let name = try context.parameters.require("name")
            let partitions = request.uri.queryParameters["partitions"].flatMap { Int32(String($0)) } ?? 4
            try cluster.createTopic(name, partitions: partitions, replicationFactor: min(cluster.brokerCount, 3))
            return "ok\n"
        }
    }

    private func brokerId(_ text: String) throws -> Int32? {
        if text == "all" { return nil }
        guard let id = Int32(text), (1...cluster.brokerCount).contains(id) else {
            throw HTTPError(.badRequest, message: "broker must be all or 1...\(cluster.brokerCount)")
        }
        return id
    }

    private func requestType(_ text: String) throws -> KafkaMockCluster.RequestType {
        guard let type = KafkaMockCluster.RequestType(name: text) else {
            throw HTTPError(.badRequest, message: "unknown request type \(text)")
        }
        return type
    }
}
