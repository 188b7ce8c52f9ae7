import Synchronization

/// Token buckets by key, in this process's memory (so a limit applies per replica): each key
/// holds up to `burst` tokens and regains `rate` per second; a request takes one.
public final class RateLimiter: Sendable {
    public let rate: Double
    public let burst: Double
    private let state = Mutex<[String: Bucket]>([:])
    /// Past this many keys, full buckets (keys idle long enough to be refilled) are forgotten.
    private static var sweepThreshold: Int { 10_000 }

    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// `rate` tokens per second, at most `burst`; a rate of 0 allows everything.
    public init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = Double(max(1, burst))
    }

    /// Takes a token for `key`: `nil` when granted, otherwise the wait until one is available.
    public func acquire(_ key: String, now: ContinuousClock.Instant = .now) -> Duration? {
        guard rate > 0 else { return nil }
        return state.withLock { buckets in
            if buckets.count >= Self.sweepThreshold { sweep(&buckets, now: now) }
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + seconds(now - bucket.updated) * rate)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return .milliseconds(Int64(((1 - bucket.tokens) / rate * 1000).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }

    private func sweep(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        buckets = buckets.filter { _, bucket in bucket.tokens + seconds(now - bucket.updated) * rate < burst }
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
