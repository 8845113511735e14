import Foundation
@testable import SentenceEncoder
import Testing

@Suite struct ErfTests {
    @Test func theGELUErfStaysWithinHalfAMicroOfDoublePrecisionErf() {
        var worst = 0.0
        for step in -700_000...700_000 {
            let x = Float(step) * 1e-5
            worst = max(worst, abs(Double(BertForward.erf(x)) - Foundation.erf(Double(x))))
        }
        for x: Float in [-.infinity, -1e30, -4.5, 4.5, 1e30, .infinity] {
            worst = max(worst, abs(Double(BertForward.erf(x)) - Foundation.erf(Double(x))))
        }
        #expect(worst <= 5e-7)
    }
}
