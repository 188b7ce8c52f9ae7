import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking TCP client, as simple HTTP clients are (Python's urllib sends the whole request
/// before it reads a byte), run on its own thread. Every socket call has a timeout, so a server
/// that stalls fails the test instead of hanging it.
struct RawHTTPConnection {
    /// What the server did with one exchange.
    struct Outcome: Sendable {
        /// Everything read until the server closed the connection (or the timeout).
        var received: String
        /// Whether the whole request could be sent.
        var sentAll: Bool
        /// Whether the server closed the connection (read returned 0).
        var closedByServer: Bool
        var elapsed: Duration

        var statusLine: String { received.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? "" }
    }

    let port: Int
    var timeoutSeconds = 10

    /// Connects, writes `head` then `bodyBytes` bytes of `x` (in 64 KiB writes, or as chunks when
    /// `chunked`), then reads until the server closes the connection.
    func exchange(head: String, bodyBytes: Int = 0, chunked: Bool = false, stopAfterHead: Bool = false) async -> Outcome {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: run(head: head, bodyBytes: bodyBytes, chunked: chunked, stopAfterHead: stopAfterHead))
            }
            thread.start()
        }
    }

    private func run(head: String, bodyBytes: Int, chunked: Bool, stopAfterHead: Bool) -> Outcome {
        let start = ContinuousClock.now
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return Outcome(received: "", sentAll: false, closedByServer: false, elapsed: .zero) }

        var sentAll = sendAll(descriptor, Array(head.utf8))
        if sentAll && !stopAfterHead {
            let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
            var remaining = bodyBytes
            while remaining > 0 && sentAll {
                let size = min(remaining, piece.count)
                if chunked {
                    sentAll = sendAll(descriptor, Array((String(size, radix: 16) + "\r\n").utf8) + piece[0..<size] + Array("\r\n".utf8))
                } else {
                    sentAll = sendAll(descriptor, Array(piece[0..<size]))
                }
                remaining -= size
            }
            if chunked && sentAll { sentAll = sendAll(descriptor, Array("0\r\n\r\n".utf8)) }
        }

        var received: [UInt8] = []
        var closedByServer = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 {
                received += buffer[0..<count]
            } else {
                closedByServer = count == 0
                break
            }
        }
        return Outcome(
            received: String(decoding: received, as: UTF8.self),
            sentAll: sentAll,
            closedByServer: closedByServer,
            elapsed: ContinuousClock.now - start
        )
    }

    #if canImport(Glibc)
    private static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    private static let sendFlags: Int32 = 0
    #endif

    private func sendAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Self.sendFlags) }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }
}
