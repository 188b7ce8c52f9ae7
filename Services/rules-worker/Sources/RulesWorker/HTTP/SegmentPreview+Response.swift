import Hummingbird

extension SegmentPreview: ResponseEncodable {}
