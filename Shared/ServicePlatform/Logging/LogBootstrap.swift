import Foundation
import Logging
import Synchronization

/// Installs the process's log handler once: JSON lines or human-readable text on stderr.
public enum LogBootstrap {
    private static let done = Mutex(false)

    public static func bootstrap(format: ServiceConfiguration.LogFormat, level: Logger.Level) {
        done.withLock { done in
            guard !done else { return }
            LoggingSystem.bootstrap { label in
                var handler: any LogHandler =
                    switch format {
                    case .json: JSONLogHandler(label: label)
                    case .text: StreamLogHandler.standardError(label: label)
                    }
                handler.logLevel = level
                return handler
            }
            done = true
        }
    }
}
