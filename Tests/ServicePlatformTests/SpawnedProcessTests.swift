import Foundation
import TestSupport
import Testing

/// How the tests start programs (``SpawnedProcess``, ``ChildProcess``), checked on its own.
@Suite("Spawned processes")
struct SpawnedProcessTests {
    /// Foundation's `Process.run()` read past a buffer and crashed once this process held about
    /// 1,300 descriptors; children must start however many this one holds, and inherit none.
    @Test func childrenStartWhileThousandsOfDescriptorsAreOpenAndInheritNone() async throws {
        // Enough pipes for this process to hold at least 1,600 descriptors, within its limit.
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        let pipes = min(max(0, (1_600 - open) / 2 + 1), max(0, (Int(limit.rlim_cur) - open - 1_000) / 2))
        var held: [Int32] = []
        defer { for descriptor in held { close(descriptor) } }
        for _ in 0..<pipes {
            var ends: [Int32] = [0, 0]
            try #require(pipe(&ends) == 0)
            held += ends
        }
        let listing = try await ChildProcess.run(URL(fileURLWithPath: "/bin/ls"), ["/proc/self/fd"])
        #expect(listing.status == 0, "\(listing.stderr)")
        let descriptors = Set(listing.stdout.split(separator: "\n").compactMap { Int32($0) })
        #expect(descriptors.isSubset(of: [0, 1, 2, 3]), "ls sees its standard streams and its own directory only: \(descriptors.sorted())")
    }

    @Test func inputOutputErrorDirectoryAndExitStatus() async throws {
        let folder = FileManager.default.temporaryDirectory.resolvingSymlinksInPath()
        let result = try await ChildProcess.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", #"cat; pwd; echo "$GREETING" >&2; exit 3"#],
            environment: ["GREETING": "to stderr"], directory: folder, stdin: "from stdin\n")
        #expect(result.status == 3)
        #expect(result.stdout == "from stdin\n\(folder.path)\n")
        #expect(result.stderr == "to stderr\n")
    }

    @Test func aSignalledChildReportsTheSignalAndIsSignalledOnlyWhileItRuns() async throws {
        let child = try SpawnedProcess(URL(fileURLWithPath: "/bin/sleep"), ["60"])
        #expect(child.isRunning)
        child.send(SIGKILL)
        #expect(await child.waitUntilExit() == SIGKILL)
        #expect(!child.isRunning)
        #expect(child.terminationStatus == SIGKILL)
        child.terminate()  // reaped: no signal is sent to whatever has the process id now
        #expect(child.blockUntilExit() == SIGKILL)
    }
}
