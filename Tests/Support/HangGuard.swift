import Testing

extension Trait where Self == TimeLimitTrait {
    /// The time limit of every in-process suite: a guard against a hang, never a performance
    /// figure (benchmarks measure those). `scripts/test` starts all in-process suites at once on a
    /// 2-core machine, so a test that takes 3 s alone can run for most of that phase (about four
    /// minutes); self-enrollment's hundred-learner race took 160 to 182 s of a 3-minute limit.
    public static var hangGuard: Self { .timeLimit(.minutes(10)) }
}
