import Contracts

extension UserSnapshot {
    /// The payload's JSON, as `LMSJSON.encode` writes it (sorted keys, omitted `nil`s, RFC 3339
    /// instants with milliseconds), built directly: `lms.user.upserted` is written once per
    /// changed user, up to 100,000 times per import. A test keeps it equal to `LMSJSON.encode` and
    /// valid against the bundled JSON Schema.
    package var jsonText: String {
        var json = JSONText(reservingCapacity: 512)
        json.raw("{\"attributes\":{")
        for (index, name) in attributes.keys.sorted().enumerated() {
            if index > 0 { json.raw(",") }
            json.string(name)
            json.raw(":")
            json.value(attributes[name].map(JSONValue.init))
        }
        json.raw("},\"changedFields\":")
        json.strings(changedFields)
        json.optionalMember("department", department)
        json.optionalMember("email", email)
        json.optionalMember("familyName", familyName)
        json.optionalMember("givenName", givenName)
        json.optionalMember("hireDate", hireDate?.description)
        json.optionalMember("jobRole", jobRole)
        json.optionalMember("location", location)
        json.optionalMember("managerId", managerId)
        json.raw(",\"status\":")
        json.string(status.rawValue)
        json.raw(",\"tenantId\":")
        json.string(tenantId)
        json.raw(",\"updatedAt\":")
        json.string(RFC3339.format(updatedAt))
        json.raw(",\"userId\":")
        json.string(userId)
        json.raw(",\"version\":")
        json.integer(version)
        json.raw("}")
        return json.text
    }
}
