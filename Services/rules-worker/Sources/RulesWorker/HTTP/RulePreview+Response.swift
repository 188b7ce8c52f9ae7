import Hummingbird

extension RulePreview: ResponseEncodable {}
