/// Another transaction created or changed users this one wrote, between reading and writing them
/// (two first writes of the same new `userId`). Nothing was committed; running the unit of work
/// again reads the winner's state and applies on top of it.
package struct UserWriteConflict: Error, Hashable, Sendable, CustomStringConvertible {
    package var expected: Int
    package var written: Int

    package var description: String { "concurrent write: \(written) of \(expected) user rows written as read" }
}
