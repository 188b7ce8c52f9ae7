import Foundation

/// Completes a service's OpenAPI 3.1 document with what the platform serves for every service:
/// the health, metrics and OpenAPI routes, the bearer-token security scheme and the problem+json
/// schema. Services keep only their own `/v1` paths in their document. Every `/v1` write also
/// documents the platform's answers: 429 (write rate limits, with `Retry-After`) and, when it
/// takes a body, 413 (the route's body limit).
public enum PlatformOpenAPI {
    public static func document(service: [UInt8], serviceName: String) -> [UInt8] {
        var document = (try? JSONSerialization.jsonObject(with: Data(service))) as? [String: Any] ?? [:]
        document["openapi"] = document["openapi"] ?? "3.1.0"
        var info = document["info"] as? [String: Any] ?? [:]
        info["title"] = info["title"] ?? serviceName
        info["version"] = info["version"] ?? "1.0.0"
        document["info"] = info

        var paths = document["paths"] as? [String: Any] ?? [:]
        let health: [String: Any] = ["$ref": "#/components/schemas/Health"]
        paths["/health/live"] = ["get": operation("Liveness", ["200": ("Always 200 while the process runs", health)])]
        paths["/health/ready"] = [
            "get": operation("Readiness: PostgreSQL and Kafka reachable", ["200": ("Ready", health), "503": ("A dependency is down", health)])
        ]
        paths["/metrics"] = ["get": operation("Prometheus metrics", ["200": ("Metrics", ["type": "string"])], contentType: "text/plain")]
        paths["/openapi.json"] = ["get": operation("This document", ["200": ("OpenAPI 3.1 document", ["type": "object"])])]
        for (path, item) in paths where path.hasPrefix("/v1/") {
            guard var operations = item as? [String: Any] else { continue }
            for method in ["post", "put", "patch", "delete"] {
                guard var operation = operations[method] as? [String: Any] else { continue }
                var responses = operation["responses"] as? [String: Any] ?? [:]
                responses["429"] =
                    responses["429"] ?? problem("Too many writes by this caller or in this tenant; retry after Retry-After seconds", retryAfter: true)
                if operation["requestBody"] != nil {
                    responses["413"] = responses["413"] ?? problem("The body exceeds this route's limit; the connection is closed", retryAfter: false)
                }
                operation["responses"] = responses
                operations[method] = operation
            }
            paths[path] = operations
        }
        document["paths"] = paths

        var components = document["components"] as? [String: Any] ?? [:]
        var schemes = components["securitySchemes"] as? [String: Any] ?? [:]
        schemes["bearer"] = [
            "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description":
                "A JWT (HS256, or RS256 by kid from a JWKS) with sub, tenant, roles and exp (at most 24 hours after iat unless LMS_JWT_MAX_LIFETIME says otherwise; iss and aud checked when configured). A service token reaches only the operations its scope claim grants: users:write, activity:write, enrollments:write, enrollments:read, reports:rebuild.",
        ]
        components["securitySchemes"] = schemes
        var schemas = components["schemas"] as? [String: Any] ?? [:]
        schemas["Problem"] = [
            "type": "object", "required": ["type", "title", "status"],
            "properties": [
                "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"], "detail": ["type": "string"],
                "errors": [
                    "type": "array",
                    "items": [
                        "type": "object", "required": ["field", "message"],
                        "properties": ["field": ["type": "string"], "message": ["type": "string"]],
                    ],
                ],
            ],
        ]
        schemas["Health"] = [
            "type": "object", "required": ["status"],
            "properties": ["status": ["type": "string"], "checks": ["type": "object", "additionalProperties": ["type": "string"]]],
        ]
        components["schemas"] = schemas
        document["components"] = components
        document["security"] = document["security"] ?? [["bearer": [] as [Any]]]

        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Array(data)
    }

    /// A problem+json response, with the `Retry-After` header when `retryAfter`.
    private static func problem(_ description: String, retryAfter: Bool) -> [String: Any] {
        var response: [String: Any] = [
            "description": description, "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]],
        ]
        if retryAfter { response["headers"] = ["Retry-After": ["schema": ["type": "integer", "minimum": 1]]] }
        return response
    }

    /// A platform operation needing no token, with a `description` and `schema` per status.
    private static func operation(
        _ summary: String,
        _ responses: [String: (description: String, schema: [String: Any])],
        contentType: String = "application/json"
    ) -> [String: Any] {
        [
            "summary": summary, "security": [] as [Any],
            "responses": responses.mapValues { ["description": $0.description, "content": [contentType: ["schema": $0.schema]]] },
        ]
    }
}
