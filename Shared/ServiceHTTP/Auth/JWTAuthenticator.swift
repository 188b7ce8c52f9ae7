import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Requires `Authorization: Bearer <JWT>` on every route under `/v1` and stores the caller's
/// ``Identity`` in the context. Other paths (`/health/*`, `/metrics`, `/openapi.json`, `/dashboard`)
/// pass through unauthenticated.
///
/// Whether a request is protected is decided from both the matched route template and the raw
/// path, so `//v1/...` or a differently cased path cannot slip past.
public struct JWTAuthenticator<Context: PlatformRequestContext>: RouterMiddleware {
    public let verification: JWTVerification
    /// First path segment of the protected API.
    public let protectedSegment: String

    public init(verification: JWTVerification, protectedSegment: String = "v1") {
        self.verification = verification
        self.protectedSegment = protectedSegment
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard isProtected(request, context: context) else {
            return try await next(request, context)
        }
        guard let token = Self.bearerToken(request.headers[.authorization]) else {
            context.logger.info("Request without bearer token refused")
            throw Problem.unauthorized()
        }
        var context = context
        do {
            context.identity = try await verification.verify(token)
        } catch {
            context.logger.info("Bearer token refused", metadata: ["reason": "\(error.reason)"])
            throw Problem.unauthorized()
        }
        if let identity = context.identity {
            context.logger[metadataKey: "tenant"] = "\(identity.tenantId)"
            context.logger[metadataKey: "user"] = "\(identity.userId)"
        }
        return try await next(request, context)
    }

    func isProtected(_ request: Request, context: Context) -> Bool {
        if let template = context.endpointPath, Self.firstSegment(template) == protectedSegment {
            return true
        }
        return Self.firstSegment(request.uri.path)?.lowercased() == protectedSegment
    }

    /// The first non-empty path segment, percent-decoded.
    static func firstSegment(_ path: String) -> String? {
        guard let segment = path.split(separator: "/", omittingEmptySubsequences: true).first else { return nil }
        return segment.removingPercentEncoding ?? String(segment)
    }

    /// The token of a `Bearer` credential (scheme case-insensitive, RFC 6750).
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let token = trimmed.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
