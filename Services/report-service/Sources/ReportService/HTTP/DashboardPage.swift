import Contracts
import Foundation

/// Renders the dashboard: three charts drawn as inline SVG (no scripts, no external resources),
/// each with a text alternative and the data table it draws, so screen readers and tests read the
/// same numbers. Table cells carry `data-*` attributes naming what they show.
struct DashboardPage {
    let data: DashboardData

    func render() -> String {
        let totalEnrolled = data.courses.reduce(0) { $0 + $1.summary.enrolled }
        let totalCompleted = data.courses.reduce(0) { $0 + ($1.summary.byStatus[EnrollmentStatus.completed.rawValue] ?? 0) }
        let totalOverdue = data.courses.reduce(0) { $0 + $1.summary.overdue }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>LMS reports — \(HTML.escape(data.tenantId))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; background: #fff; }
            h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
            .tiles { display: flex; gap: 1rem; flex-wrap: wrap; }
            .tile { border: 1px solid #767676; border-radius: 6px; padding: .75rem 1rem; min-width: 9rem; }
            .tile strong { display: block; font-size: 1.6rem; }
            table { border-collapse: collapse; margin-top: .5rem; }
            th, td { border: 1px solid #767676; padding: .25rem .6rem; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            svg text { font-size: 12px; fill: #1b1b1b; }
            .bar { fill: #005a9c; } .bar-overdue { fill: #b00020; } .axis { stroke: #1b1b1b; } .grid { stroke: #d0d0d0; }
            .line { fill: none; stroke: #b00020; stroke-width: 2; } .dot { fill: #b00020; }
            </style>
            </head>
            <body>
            <main>
            <h1>Reports for <span data-field="tenant">\(HTML.escape(data.tenantId))</span></h1>
            <p>As of <time datetime="\(RFC3339.format(data.asOf))" data-field="asOf">\(RFC3339.format(data.asOf))</time></p>
            <section class="tiles" aria-label="Totals">
            <div class="tile">Enrollments<strong data-total="enrolled">\(totalEnrolled)</strong></div>
            <div class="tile">Completed<strong data-total="completed">\(totalCompleted)</strong></div>
            <div class="tile">Overdue<strong data-total="overdue">\(totalOverdue)</strong></div>
            </section>
            \(completionSection())
            \(complianceSection())
            \(trendSection())
            </main>
            </body>
            </html>
            """
    }

    private func completionSection() -> String {
        rateSection(
            id: "completion",
            heading: "Completion by course",
            chartTitle: "Completion rate by course",
            attribute: "course",
            columns: ["Course", "Completion", "Completed", "Enrolled", "Overdue"],
            rateField: "completionRate",
            rows: data.courses.map { course in
                let summary = course.summary
                let completed = summary.byStatus[EnrollmentStatus.completed.rawValue] ?? 0
                return (
                    summary.courseId, course.title ?? summary.courseId, summary.completionRate,
                    [("completed", completed), ("enrolled", summary.enrolled), ("overdue", summary.overdue)]
                )
            }
        )
    }

    private func complianceSection() -> String {
        rateSection(
            id: "compliance",
            heading: "Compliance by department",
            chartTitle: "Compliance rate by department, all courses",
            attribute: "department",
            columns: ["Department", "Compliance", "Completed", "Assigned", "Overdue"],
            rateField: "complianceRate",
            rows: data.departments.map { row in
                (
                    row.department, row.department.isEmpty ? "(no department)" : row.department, row.rate,
                    [("completed", row.completed), ("assigned", row.assigned), ("overdue", row.overdue)]
                )
            }
        )
    }

    /// A bar chart of each row's rate and the table it draws; cells carry `data-<attribute>` and `data-field`.
    private func rateSection(
        id: String,
        heading: String,
        chartTitle: String,
        attribute: String,
        columns: [String],
        rateField: String,
        rows: [(key: String, label: String, rate: Double, counts: [(field: String, value: Int)])]
    ) -> String {
        let tableRows = rows.map { row in
            let key = HTML.escape(row.key)
            let cells = [(rateField, HTML.percent(row.rate))] + row.counts.map { ($0.field, String($0.value)) }
            return #"<tr data-\#(attribute)="\#(key)"><th scope="row">\#(HTML.escape(row.label))</th>"#
                + cells.map { #"<td class="num" data-\#(attribute)="\#(key)" data-field="\#($0.0)">\#($0.1)</td>"# }.joined() + "</tr>"
        }
        return """
            <section aria-labelledby="\(id)-heading">
            <h2 id="\(id)-heading">\(heading)</h2>
            \(barChart(id: id, title: chartTitle, bars: rows.map { ($0.label, $0.rate) }))
            <table aria-labelledby="\(id)-heading">
            <thead><tr>\(columns.map { #"<th scope="col">\#($0)</th>"# }.joined())</tr></thead>
            <tbody>\(tableRows.joined(separator: "\n"))</tbody>
            </table>
            </section>
            """
    }

    /// Horizontal bars of fractions (0...1), one row per bar, labelled with the value.
    private func barChart(id: String, title: String, bars: [(label: String, value: Double)]) -> String {
        let rowHeight = 26.0
        let labelWidth = 180.0
        let plotWidth = 400.0
        let height = max(1, Double(bars.count)) * rowHeight + 24
        var parts: [String] = []
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            let x = labelWidth + tick * plotWidth
            parts.append(
                #"<line class="grid" x1="\#(HTML.coordinate(x))" y1="0" x2="\#(HTML.coordinate(x))" y2="\#(HTML.coordinate(height - 20))"/>"#)
            parts.append(#"<text x="\#(HTML.coordinate(x))" y="\#(HTML.coordinate(height - 6))" text-anchor="middle">\#(Int(tick * 100))%</text>"#)
        }
        for (index, bar) in bars.enumerated() {
            let y = Double(index) * rowHeight + 4
            let width = max(0, min(1, bar.value)) * plotWidth
            let label = String(bar.label.prefix(28))
            parts.append(
                #"<text x="\#(HTML.coordinate(labelWidth - 8))" y="\#(HTML.coordinate(y + 14))" text-anchor="end">\#(HTML.escape(label))</text>"#)
            parts.append(
                #"<rect class="bar" x="\#(HTML.coordinate(labelWidth))" y="\#(HTML.coordinate(y))" width="\#(HTML.coordinate(width))" height="18"><title>\#(HTML.escape(bar.label)): \#(HTML.percent(bar.value))</title></rect>"#
            )
            parts.append(#"<text x="\#(HTML.coordinate(labelWidth + width + 4))" y="\#(HTML.coordinate(y + 14))">\#(HTML.percent(bar.value))</text>"#)
        }
        let description = bars.map { "\($0.label): \(HTML.percent($0.value))" }.joined(separator: "; ")
        return """
            <svg id="\(id)-chart" role="img" aria-labelledby="\(id)-title \(id)-desc" width="\(Int(labelWidth + plotWidth + 60))" height="\(Int(height))" viewBox="0 0 \(Int(labelWidth + plotWidth + 60)) \(Int(height))" xmlns="http://www.w3.org/2000/svg">
            <title id="\(id)-title">\(HTML.escape(title))</title>
            <desc id="\(id)-desc">\(HTML.escape(bars.isEmpty ? "No data yet." : description))</desc>
            <line class="axis" x1="\(Int(labelWidth))" y1="0" x2="\(Int(labelWidth))" y2="\(HTML.coordinate(height - 20))"/>
            \(parts.joined(separator: "\n"))
            </svg>
            """
    }

    private func trendSection() -> String {
        let points = data.overdueTrend
        let width = 640.0
        let height = 200.0
        let left = 40.0
        let bottom = 30.0
        let maximum = max(1, points.map(\.overdue).max() ?? 0)
        let stepX = points.count > 1 ? (width - left - 20) / Double(points.count - 1) : 0
        func x(_ index: Int) -> Double { left + Double(index) * stepX }
        func y(_ value: Int) -> Double { (height - bottom) - Double(value) / Double(maximum) * (height - bottom - 10) }
        let polyline = points.enumerated().map { "\(HTML.coordinate(x($0.offset))),\(HTML.coordinate(y($0.element.overdue)))" }
            .joined(separator: " ")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        var marks: [String] = []
        for (index, point) in points.enumerated() {
            marks.append(
                #"<circle class="dot" cx="\#(HTML.coordinate(x(index)))" cy="\#(HTML.coordinate(y(point.overdue)))" r="3"><title>\#(formatter.string(from: point.day)): \#(point.overdue) overdue</title></circle>"#
            )
            if index % max(1, points.count / 7) == 0 || index == points.count - 1 {
                marks.append(
                    #"<text x="\#(HTML.coordinate(x(index)))" y="\#(HTML.coordinate(height - 10))" text-anchor="middle">\#(formatter.string(from: point.day).dropFirst(5))</text>"#
                )
            }
        }
        let rows = points.map { point in
            let day = formatter.string(from: point.day)
            return #"<tr><th scope="row">\#(day)</th><td class="num" data-day="\#(day)" data-field="overdue">\#(point.overdue)</td></tr>"#
        }
        let description =
            points.isEmpty
            ? "No data yet."
            : "Overdue enrollments per day from \(formatter.string(from: points[0].day)) (\(points[0].overdue)) to \(formatter.string(from: points[points.count - 1].day)) (\(points[points.count - 1].overdue)); highest \(points.map(\.overdue).max() ?? 0)."
        return """
            <section aria-labelledby="trend-heading">
            <h2 id="trend-heading">Overdue trend</h2>
            <svg id="trend-chart" role="img" aria-labelledby="trend-title trend-desc" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" xmlns="http://www.w3.org/2000/svg">
            <title id="trend-title">Overdue enrollments per day</title>
            <desc id="trend-desc">\(HTML.escape(description))</desc>
            <line class="axis" x1="\(Int(left))" y1="10" x2="\(Int(left))" y2="\(Int(height - bottom))"/>
            <line class="axis" x1="\(Int(left))" y1="\(Int(height - bottom))" x2="\(Int(width - 10))" y2="\(Int(height - bottom))"/>
            <text x="\(Int(left - 6))" y="\(HTML.coordinate(y(maximum) + 4))" text-anchor="end">\(maximum)</text>
            <text x="\(Int(left - 6))" y="\(HTML.coordinate(y(0) + 4))" text-anchor="end">0</text>
            <polyline class="line" points="\(polyline)"/>
            \(marks.joined(separator: "\n"))
            </svg>
            <details><summary>Overdue per day (table)</summary>
            <table aria-labelledby="trend-heading"><thead><tr><th scope="col">Day</th><th scope="col">Overdue</th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table>
            </details>
            </section>
            """
    }
}
