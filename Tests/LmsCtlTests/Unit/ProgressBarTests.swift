import Testing

@testable import LmsCtl

@Suite("Progress bar formatting")
struct ProgressBarTests {
    @Test func terminalLineShowsBarPercentBytesRowsRateAndETA() {
        let bar = ProgressBar(
            label: "uploading users.csv", bytesDone: 1_048_576, bytesTotal: 4_194_304, rowsDone: 2_500, rowsTotal: 10_000, elapsed: 2,
            barWidth: 20)
        #expect(bar.fraction == 0.25)
        #expect(bar.rate == 524_288)
        #expect(bar.eta == 6)
        #expect(
            bar.terminalLine()
                == "uploading users.csv [#####...............]  25%  1.0 MiB/4.0 MiB  2,500/10,000 rows  512.0 KiB/s  ETA 0:06")
        #expect(bar.plainLine() == "uploading users.csv: 25% (1.0 MiB of 4.0 MiB, 2,500 of 10,000 rows), 512.0 KiB/s, ETA 0:06")
    }

    @Test func unknownRateHasNoETA() {
        let bar = ProgressBar(label: "x", bytesDone: 0, bytesTotal: 100, rowsDone: nil, rowsTotal: nil, elapsed: 0, barWidth: 4)
        #expect(bar.eta == nil)
        #expect(bar.terminalLine() == "x [....]   0%  0 B/100 B  0 B/s  ETA --:--")
    }

    @Test func emptyBodyIsComplete() {
        let bar = ProgressBar(label: "x", bytesDone: 0, bytesTotal: 0, rowsDone: 0, rowsTotal: 0, elapsed: 1, barWidth: 4)
        #expect(bar.fraction == 1)
        #expect(bar.terminalLine().hasPrefix("x [####] 100%"))
    }

    @Test func unitsAndDurations() {
        #expect(ProgressBar.bytes(0) == "0 B")
        #expect(ProgressBar.bytes(1023) == "1023 B")
        #expect(ProgressBar.bytes(1536) == "1.5 KiB")
        #expect(ProgressBar.bytes(64 * 1024 * 1024) == "64.0 MiB")
        #expect(ProgressBar.bytes(3 * 1024 * 1024 * 1024) == "3.0 GiB")
        #expect(ProgressBar.grouped(100_000) == "100,000")
        #expect(ProgressBar.grouped(999) == "999")
        #expect(ProgressBar.grouped(-1_234_567) == "-1,234,567")
        #expect(ProgressBar.duration(6.2) == "0:07")
        #expect(ProgressBar.duration(750) == "12:30")
        #expect(ProgressBar.duration(3723) == "1:02:03")
    }
}
