// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "ai-worker",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ai-worker", targets: ["AIWorker"]),
        .executable(name: "backend-worker", targets: ["BackendWorker"]),
        .executable(name: "analysis-bench", targets: ["AnalysisBenchmark"]),
        .executable(name: "llm-bench", targets: ["LLMBenchmark"]),
        .executable(name: "encoder-bench", targets: ["EncoderBenchmark"]),
        .executable(name: "intent-head-train", targets: ["IntentHeadTraining"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
    ],
    targets: [
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-pthread-dev"])]),

        .target(name: "Events", swiftSettings: strict),
        .target(name: "Analysis", dependencies: ["Events"], swiftSettings: strict),
        .target(name: "SentenceEncoder", dependencies: ["COpenBLAS"], swiftSettings: strict),
        .executableTarget(name: "EncoderBenchmark", dependencies: ["SentenceEncoder", "Events"], swiftSettings: strict),
        .target(name: "IntentTier", dependencies: ["SentenceEncoder", "Analysis", "Events"], swiftSettings: strict),
        .executableTarget(name: "IntentHeadTraining", dependencies: ["IntentTier", "SentenceEncoder", "Analysis", "AnalysisEvaluation", "Events"], swiftSettings: strict),
        .target(name: "AnalysisEvaluation", dependencies: ["Analysis", "Events"], swiftSettings: strict),
        .executableTarget(name: "AnalysisBenchmark", dependencies: ["Analysis", "Events", "AnalysisEvaluation"], swiftSettings: strict),
        .executableTarget(name: "LLMBenchmark", dependencies: ["Pipeline", "LLM", "Cache", "Analysis", "Events"], swiftSettings: strict),
        .target(
            name: "LLM",
            dependencies: ["CCurl", "Events", "Analysis", .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: strict
        ),
        .target(
            name: "Cache",
            dependencies: ["CHiredis", "Events", "Analysis", .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: strict
        ),
        .target(
            name: "Observability",
            dependencies: [
                "Events",
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Persistence",
            dependencies: [
                "Events", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Kafka",
            dependencies: ["CRdKafka", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "Pipeline",
            dependencies: [
                "Kafka", "Events", "Analysis", "LLM", "Cache", "IntentTier",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "WorkerSupport",
            dependencies: ["Kafka", "Events", "Observability", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "AIWorkerKit",
            dependencies: [
                "WorkerSupport", "Pipeline", "Kafka", "Events", "Analysis", "AnalysisEvaluation", "LLM", "Cache", "Observability", "IntentTier",
                "SentenceEncoder", .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "AIWorker",
            dependencies: [
                "AIWorkerKit", "IntentTier", "WorkerSupport", "Kafka", "Observability", "AnalysisEvaluation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        .target(
            name: "BackendWorkerKit",
            dependencies: [
                "WorkerSupport", "Kafka", "Events", "Persistence", "Observability",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "BackendWorker",
            dependencies: [
                "BackendWorkerKit", "WorkerSupport", "Kafka", "Persistence", "Observability",
                .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "EventsTests", dependencies: ["Events"], swiftSettings: strict),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Events", "AnalysisEvaluation"], swiftSettings: strict),
        .testTarget(
            name: "PersistenceTests",
            dependencies: [
                "Persistence", "Events", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "SentenceEncoderTests", dependencies: ["SentenceEncoder"], swiftSettings: strict),
        .testTarget(name: "IntentTierTests", dependencies: ["IntentTier", "Pipeline", "Analysis", "Events", "SentenceEncoder"], swiftSettings: strict),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Kafka", "Events", "Analysis"], swiftSettings: strict),
        .testTarget(name: "LLMTests", dependencies: ["LLM", "Cache", "Pipeline", "Events", "Analysis"], swiftSettings: strict),
        .testTarget(name: "CacheTests", dependencies: ["Cache", "Events", "Analysis"], swiftSettings: strict),
        .testTarget(
            name: "ObservabilityTests",
            dependencies: [
                "Observability", .product(name: "Metrics", package: "swift-metrics"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .testTarget(
            name: "BackendWorkerKitTests",
            dependencies: ["BackendWorkerKit", "WorkerSupport", "Persistence", "Kafka"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "AIWorkerKit", "BackendWorkerKit", "WorkerSupport", "Pipeline", "Analysis", "Persistence", "Kafka", "Events",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
    ]
)
