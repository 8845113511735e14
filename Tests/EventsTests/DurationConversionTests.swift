import Events
import Testing

@Suite struct DurationConversionTests {
    @Test func conversionsKeepFractionsAndSaturate() {
        #expect(Duration.milliseconds(1500).inSeconds == 1.5)
        #expect(Duration.milliseconds(1500).wholeMilliseconds == 1500)
        #expect(Duration.microseconds(2500).wholeNanoseconds == 2_500_000)
        #expect(Duration.seconds(Int64.max).wholeNanoseconds == .max)
        #expect(Duration.seconds(Int64.min).wholeNanoseconds == .min)
        #expect(Duration.seconds(Int64.max).wholeMilliseconds == .max)
        #expect(Duration.seconds(-3).wholeMillisecondsClamped == 0)
    }
}
