import Foundation
import JWTKit
import Logging
import ServiceLifecycle
import ServicePlatform

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The RS256 keys of a JSON Web Key Set (RFC 7517), found by the token header's `kid`, from a
/// document (`LMS_JWT_JWKS_FILE`) or a URL (`LMS_JWT_JWKS_URL`).
///
/// A URL is fetched when the service starts, every ``refreshInterval`` after that, and again when a
/// token names a `kid` the set does not hold (key rotation), but never twice within
/// ``minimumRefreshInterval``, so unknown `kid`s cannot make the service hammer the identity
/// provider. A failed fetch keeps the keys already loaded. Keys that are not RSA, carry another
/// `alg` than RS256 or another `use` than `sig` are ignored; RSA keys shorter than 2048 bits are
/// refused.
public actor JWKSKeySet: Service {
    public enum Source: Sendable, Hashable {
        case document(String)
        case url(URL)
    }

    /// Largest JWKS document accepted from a URL.
    public static let maximumDocumentSize = 1 << 20

    public let source: Source
    public let refreshInterval: Duration
    public let minimumRefreshInterval: Duration
    private let logger: Logger
    private var pending: [String: Insecure.RSA.PublicKey]?
    private var collection: JWTKeyCollection?
    private var kids: Set<String> = []
    private var lastFetch: ContinuousClock.Instant?
    private var inFlight: Task<Void, Never>?
    /// How many times the URL was fetched.
    public private(set) var fetches = 0

    /// A key set from a JWKS document; its keys are checked here.
    public init(document: String, logger: Logger) throws(ConfigurationError) {
        source = .document(document)
        refreshInterval = .zero
        minimumRefreshInterval = .zero
        self.logger = logger
        pending = try Self.keys(in: document)
    }

    /// A key set fetched from `url` once the service runs (``run()``).
    public init(url: URL, refreshInterval: Duration = .seconds(300), minimumRefreshInterval: Duration = .seconds(30), logger: Logger) {
        source = .url(url)
        self.refreshInterval = refreshInterval
        self.minimumRefreshInterval = minimumRefreshInterval
        self.logger = logger
    }

    /// Whether the keys come from a URL (and ``run()`` keeps them fresh).
    public nonisolated var isRemote: Bool {
        if case .url = source { return true }
        return false
    }

    /// Whether the set holds keys (a URL answered at least once).
    public var isLoaded: Bool { pending != nil || collection != nil }

    /// The keys to verify a token whose header names `kid`, or `nil` when the set has no such key
    /// (after fetching the URL again, if allowed).
    public func keys(for kid: String) async -> JWTKeyCollection? {
        if let pending {
            await install(pending)
            self.pending = nil
        }
        if kids.contains(kid) { return collection }
        guard case .url = source, mayFetch else { return nil }
        await refresh()
        return kids.contains(kid) ? collection : nil
    }

    /// Fetches the URL now (one fetch at a time; callers arriving meanwhile wait for it).
    public func refresh() async {
        guard case .url(let url) = source else { return }
        if let inFlight { return await inFlight.value }
        let task = Task { await self.fetch(url) }
        inFlight = task
        await task.value
        inFlight = nil
    }

    /// Keeps a URL's keys fresh until graceful shutdown; returns at once for a document.
    public func run() async throws {
        guard case .url = source else { return }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.refresh()
                let loaded = await self.isLoaded
                try await Task.sleep(for: loaded ? self.refreshInterval : self.minimumRefreshInterval)
            }
        }
    }

    private var mayFetch: Bool {
        guard let lastFetch else { return true }
        return ContinuousClock.now - lastFetch >= minimumRefreshInterval
    }

    private func fetch(_ url: URL) async {
        lastFetch = .now
        fetches += 1
        do {
            var request = URLRequest(url: url, timeoutInterval: 10)
            request.setValue("application/json", forHTTPHeaderField: "Accept")
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard status == 200 else { throw ConfigurationError("the JWKS URL answered \(status)") }
            guard data.count <= Self.maximumDocumentSize else { throw ConfigurationError("the JWKS document is larger than 1 MiB") }
            let keys = try Self.keys(in: String(decoding: data, as: UTF8.self))
            await install(keys)
            logger.info("JWKS loaded", metadata: ["url": "\(url)", "kids": "\(keys.keys.sorted().joined(separator: ","))"])
        } catch let error as ConfigurationError {
            logger.error("JWKS refresh failed; the keys loaded before stay in use", metadata: ["url": "\(url)", "error": "\(error.message)"])
        } catch {
            logger.error("JWKS refresh failed; the keys loaded before stay in use", metadata: ["url": "\(url)", "error": "\(error)"])
        }
    }

    private func install(_ keys: [String: Insecure.RSA.PublicKey]) async {
        let collection = JWTKeyCollection()
        for (kid, key) in keys.sorted(by: { $0.key < $1.key }) {
            await collection.add(rsa: key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        }
        self.collection = collection
        kids = Set(keys.keys)
    }

    /// The usable RS256 keys of a JWKS document by `kid`.
    static func keys(in document: String) throws(ConfigurationError) -> [String: Insecure.RSA.PublicKey] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any],
            let entries = object["keys"] as? [[String: Any]]
        else { throw ConfigurationError("the JWKS is not a JSON object with a keys array") }
        var keys: [String: Insecure.RSA.PublicKey] = [:]
        for entry in entries {
            guard entry["kty"] as? String == "RSA", let kid = entry["kid"] as? String, !kid.isEmpty,
                (entry["alg"] as? String).map({ $0 == "RS256" }) ?? true,
                (entry["use"] as? String).map({ $0 == "sig" }) ?? true
            else { continue }
            guard let modulus = entry["n"] as? String, let exponent = entry["e"] as? String,
                let key = try? Insecure.RSA.PublicKey(modulus: modulus, exponent: exponent)
            else { throw ConfigurationError("the JWKS key \(kid) is not an RSA public key of at least 2048 bits") }
            keys[kid] = key
        }
        guard !keys.isEmpty else { throw ConfigurationError("the JWKS holds no RS256 key with a kid") }
        return keys
    }
}
