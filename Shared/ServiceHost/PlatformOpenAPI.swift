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
        paths["/health/live"] = [
            "get": operation("Liveness", response: "Always 200 while the process runs", schema: ["$ref": "#/components/schemas/Health"])
        ]
        paths["/health/ready"] = [
            "get": [
                "summary": "Readiness: PostgreSQL and Kafka reachable", "security": [] as [Any],
                "responses": [
                    "200": ["description": "Ready", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Health"]]]],
                    "503": [
                        "description": "A dependency is down", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Health"]]],
                    ],
                ],
            ]
        ]
        paths["/metrics"] = [
            "get": [
                "summary": "Prometheus metrics", "security": [] as [Any],
                "responses": ["200": ["description": "Metrics", "content": ["text/plain": ["schema": ["type": "string"]]]]],
            ]
        ]
        paths["/openapi.json"] = ["get": operation("This document", response: "OpenAPI 3.1 document", schema: ["type": "object"])]
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

    private static func operation(_ summary: String, response: String, schema: [String: Any]) -> [String: Any] {
        [
            "summary": summary, "security": [] as [Any],
            "responses": ["200": ["description": response, "content": ["application/json": ["schema": schema]]]],
        ]
    }
}
