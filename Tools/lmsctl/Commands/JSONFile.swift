import Contracts
import Foundation
import ServicePlatform

/// A JSON document read from a file (`-` for standard input), checked to parse before it is sent.
enum JSONFile {
    static func read(_ path: String) throws(CLIError) -> [UInt8] {
        let data: Data?
        if path == "-" {
            data = FileDescriptorIO.readAll(from: STDIN_FILENO)
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else { throw CLIError("cannot read \(path)") }
        return Array(data)
    }

    static func object(_ path: String) throws(CLIError) -> [String: JSONValue] {
        let bytes = try read(path)
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw CLIError("\(path) is not valid JSON: \(error.message)")
        }
        guard let object = value.objectValue else { throw CLIError("\(path) must hold a JSON object") }
        return object
    }
}
