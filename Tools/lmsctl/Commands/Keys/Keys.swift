import ArgumentParser

/// `lmsctl keys`: enrollment keys of a course (enrollment-service).
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enrollment keys for self-enrollment (enrollment-service).",
        subcommands: [KeysCreate.self, KeysList.self, KeysRevoke.self])

    static let columns = ["keyId", "courseId", "label", "keyHint", "uses", "maxUses", "expiresAt", "revoked", "createdAt"]
}
