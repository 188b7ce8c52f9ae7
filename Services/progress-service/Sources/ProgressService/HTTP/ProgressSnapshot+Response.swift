import Contracts
import Hummingbird

/// Progress endpoints answer with the `lms.progress.*` payload itself.
extension ProgressSnapshot: ResponseEncodable {}
