import Foundation

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Whole reads and writes on a file descriptor, retried when a signal interrupts them.
///
/// Foundation's `FileHandle.write(_:)` and `readDataToEndOfFile()` end in `try!`: a signal that
/// lands during the call (a child's SIGCHLD, for one) makes it fail with `EINTR` and crashes the
/// process. That took down a whole CI test run; these loops retry instead.
public enum FileDescriptorIO {
    /// Writes all of `data`; stops quietly if the descriptor refuses (closed pipe, full disk).
    public static func writeAll(_ data: Data, to descriptor: Int32) {
        var rest = data[...]
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                rest = rest.dropFirst(written)
            } else if errno != EINTR {
                return
            }
        }
    }

    /// Reads until end of file (or an error other than `EINTR`).
    public static func readAll(from descriptor: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }

    /// Writes `text` to standard error.
    public static func writeToStandardError(_ text: String) {
        writeAll(Data(text.utf8), to: STDERR_FILENO)
    }
}
