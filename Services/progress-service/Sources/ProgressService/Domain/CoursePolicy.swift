import Contracts

/// What completes a course, from its settings on `lms.courses.v1`.
///
/// - Required modules and no passing score: complete when every required module is completed;
///   percent = completed required modules / required modules.
/// - A passing score and no modules (an assessment): complete when the best score reaches it;
///   percent follows the content progress the player reports.
/// - Both: every required module completed *and* the passing score reached.
/// - Neither: complete when any module is completed.
package struct CoursePolicy: Sendable, Hashable {
    package var modules: [String]
    package var passingScore: Double?

    package func isMet(by record: ProgressRecord) -> Bool {
        let modulesDone: Bool
        if modules.isEmpty {
            modulesDone = passingScore != nil || !record.completedModules.isEmpty
        } else {
            modulesDone = Set(modules).isSubset(of: record.completedModules)
        }
        guard modulesDone else { return false }
        guard let passingScore else { return true }
        return (record.bestScore ?? -1) >= passingScore
    }

    /// Percent complete, 0...100, rounded to two decimals.
    package func percent(of record: ProgressRecord) -> Double {
        let fraction: Double
        if modules.isEmpty {
            fraction = record.maxProgress
        } else {
            let done = Set(modules).intersection(record.completedModules).count
            fraction = Double(done) / Double(modules.count)
        }
        return (min(max(fraction, 0), 1) * 10_000).rounded() / 100
    }

    /// Whether a scored result fails this course's passing score.
    package func fails(score: Double?) -> Bool {
        guard let passingScore, let score else { return false }
        return score < passingScore
    }
}
