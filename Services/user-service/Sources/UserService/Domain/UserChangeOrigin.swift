/// Where a change came from, as recorded in the history.
package enum UserChangeOrigin: String, Sendable {
    /// A `platform.user-events.v1` event.
    case event
    /// An admin or service call of the HTTP API.
    case api
    /// A row of a CSV import.
    case `import`
}
