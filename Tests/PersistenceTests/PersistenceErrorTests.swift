import Foundation
import NIOCore
import Testing
import _ConnectionPoolModule

@testable import Persistence

@Suite("PersistenceError classification")
struct PersistenceErrorTests {
    @Test func thePoolsCircuitBreakerIsRecognisedByItsType() {
        let error = PersistenceError.classify(ConnectionPoolError.connectionCreationCircuitBreakerTripped)
        #expect(error.code == .connection)
        #expect(error.isRetryable)
        #expect(PersistenceError.classify(ConnectionPoolError.poolShutdown).code == .shutdown)
    }

    @Test func connectionErrorsNameTheServerAndTheCause() {
        let refused = PersistenceError.classify(IOError(errnoCode: ECONNREFUSED, reason: "connect")).on("db.internal:5432/leads")
        #expect(refused.description.contains("db.internal:5432/leads"))
        #expect(refused.description.contains("connection refused"))
        let timeout = PersistenceError.classify(ChannelError.connectTimeout(.seconds(10)))
        #expect(timeout.description.contains("timeout"))
    }

    @Test func theEndpointNeverCarriesThePassword() throws {
        let config = try DatabaseConfig(url: "postgres://app:s3cret@db.internal:6543/leads")
        #expect(config.endpoint == "db.internal:6543/leads")
        #expect(!config.endpoint.contains("s3cret"))
    }
}
