import Contracts

/// The checks of a payload against the contract, named by their dead-letter classes: JSON syntax
/// (`malformed-json`), the event type's JSON Schema (`schema-invalid`) and the payload's tenant
/// against `ce_tenantid` (`tenant-mismatch`).
///
/// Platform input (`platform.*`) passes them before its handler sees it. The `lms.*` topics carry
/// what this system's services produced through `CloudEvent.make` (validated there; the contract
/// tests check that encoder's output against the schemas), so the handler's typed decode is the
/// only pass over them, and these checks run only to explain a payload that does not decode.
enum PayloadCheck {
    /// Why `event`'s payload breaks the contract, or `nil` when it passes all three checks.
    static func rejection(of event: CloudEvent, eventId: String) -> EventRejection? {
        func reject(_ errorClass: String, _ text: String) -> EventRejection {
            EventRejection(eventId: eventId, errorClass: errorClass, message: text)
        }
        let payload: JSONValue
        do {
            payload = try JSONValue(parsing: event.data)
        } catch {
            return reject("malformed-json", error.description)
        }
        do {
            let violations = try JSONSchemaValidator.bundled(for: event.type).validate(payload)
            if !violations.isEmpty {
                return reject("schema-invalid", violations.prefix(5).map(\.description).joined(separator: "; "))
            }
        } catch {
            return reject("schema-invalid", "no schema for \(event.type): \(error)")
        }
        guard case .object(let fields) = payload, case .string(let tenant) = fields["tenantId"] ?? .null, tenant == event.tenantId else {
            return reject("tenant-mismatch", "payload tenantId does not match ce_tenantid \(event.tenantId)")
        }
        return nil
    }
}
