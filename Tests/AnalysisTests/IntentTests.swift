import Analysis
import Events
import Testing

@Suite("Intents")
struct IntentTests {
    func intent(_ text: String) -> Intent { Fixture.analyze(text).intent.intent }

    @Test(arguments: [
        ("I want to order 2 laptops", Intent.orderRequest),
        ("mujhe 2 kurti chahiye", .orderRequest),
        ("pls send price list", .pricingInquiry),
        ("wats the rate of iphone 15", .pricingInquiry),
        ("kitne ka hai ye?", .pricingInquiry),
        ("is the red dress avlbl in size M?", .availabilityInquiry),
        ("do you have eggless cake today?", .availabilityInquiry),
        ("what are the specs of this phone?", .productInquiry),
        ("any discount on bulk orders?", .discountInquiry),
        ("where is my order #48213??", .orderStatus),
        ("kab tak milega mera order?", .orderStatus),
        ("cancel my order ORD-48213 please", .orderCancellation),
        ("please change the delivery address for my order", .orderModification),
        ("do you deliver to Pune?", .deliveryInquiry),
        ("can I pay by UPI?", .paymentInquiry),
        ("the product arrived damaged, I want a refund", .refundRequest),
        ("please send GST invoice for order 123456", .invoiceRequest),
        ("this is the worst service ever 😡", .complaint),
        ("loved the product, great quality 😍", .feedback),
        ("please call me back tomorrow at 5pm", .scheduleCall),
        ("can I book an appointment for next Monday morning?", .bookingRequest),
        ("I want to talk to a human", .humanAgent),
        ("I forgot my password", .accountSupport),
        ("what are your timings on sunday?", .businessInfo),
        ("hello", .greeting),
        ("Thanks a lot!", .thanks),
        ("bye", .goodbye),
        ("stop messaging me", .optOut),
        ("asdf qwerty", .unknown),
    ])
    func labels(_ text: String, _ expected: Intent) {
        #expect(intent(text) == expected, "\(text)")
    }

    @Test func emptyAndWhitespaceAreUnknown() {
        for text in ["", "   ", "\n\t ", "!!!", "..."] {
            let a = Fixture.analyze(text)
            #expect(a.intent.intent == .unknown)
            #expect(a.leadQuality == .cold)
        }
    }

    @Test func negationAndHedging() {
        #expect(intent("I don't want to order anything, just browsing") != .orderRequest)
        #expect(intent("not interested") == .optOut)
        #expect(intent("please don't call me again") == .optOut)
        #expect(intent("I'm not asking for a refund, just letting you know the jar cracked") == .complaint)
        let hedged = Fixture.analyze("maybe I will order 2 laptops later")
        let firm = Fixture.analyze("I will order 2 laptops")
        #expect(hedged.leadScore < firm.leadScore)
    }

    @Test func severalIntentsKeepAlternatives() {
        let a = Fixture.analyze("Hi! what's the price of the blue sofa? also do you deliver to Pune?")
        let asked = Set([a.intent.intent] + a.intent.alternatives.map(\.intent))
        #expect([.pricingInquiry, .deliveryInquiry].contains(a.intent.intent))
        #expect(asked.isSuperset(of: [.pricingInquiry, .deliveryInquiry]))
        #expect(intent("hi, where is my order?") == .orderStatus) // the greeting yields
    }

    @Test func typosAndSlang() {
        #expect(intent("wat is the prise of this") == .pricingInquiry)
        #expect(intent("pls cancle my oder") == .orderCancellation)
        #expect(intent("helloooo") == .greeting)
        #expect(intent("refnd kab milega") == .refundRequest)
    }

    @Test func confidenceIsAProbabilityWithOrderedAlternatives() {
        for text in ["I want to order 2 laptops", "hmm", "price and delivery time?", "ok"] {
            let r = Fixture.analyze(text).intent
            #expect(r.confidence >= 0 && r.confidence <= 1)
            #expect(r.tier == .rules)
            #expect(r.alternatives.count <= 3)
            #expect(zip(r.alternatives, r.alternatives.dropFirst()).allSatisfy { $0.confidence >= $1.confidence })
            #expect(!r.alternatives.contains { $0.intent == r.intent })
        }
    }
}

@Suite("Scoring, actions, language, replies")
struct ScoringTests {
    @Test func hotWarmCold() {
        let hot = Fixture.analyze("I want to order 2 laptops, deliver tomorrow. call 9876543210")
        #expect(hot.leadQuality == .hot)
        #expect(hot.suggestedActions.contains(.createOrderDraft))
        #expect(hot.suggestedActions.contains(.notifySales))
        let warm = Fixture.analyze("what is the price of the sofa?")
        #expect(warm.leadQuality == .warm)
        for cold in ["hello", "thanks", "bye", "unsubscribe", "asdf"] {
            #expect(Fixture.analyze(cold).leadQuality == .cold, "\(cold)")
        }
        #expect(Fixture.analyze("book a table for 4 tomorrow at 8pm").leadQuality == .hot)
    }

    @Test func actionsFollowIntent() {
        #expect(Fixture.analyze("unsubscribe").suggestedActions == [.unsubscribeContact])
        #expect(Fixture.analyze("where is my order ORD-48213").suggestedActions.contains(.shareTrackingInfo))
        #expect(Fixture.analyze("I want a refund").suggestedActions.contains(.initiateRefund))
        #expect(Fixture.analyze("send me the invoice").suggestedActions.contains(.sendInvoice))
        #expect(Fixture.analyze("connect me to an agent").suggestedActions.contains(.escalateToHuman))
    }

    @Test func languageAndReplies() {
        let hi = Fixture.analyze("mujhe 2 kurti chahiye, kitne ka hai?")
        #expect(hi.language == "hi-Latn")
        #expect(hi.suggestedResponse.contains("kurti"))
        let en = Fixture.analyze("I want to order 2 laptops for tomorrow")
        #expect(en.language == "en")
        #expect(en.suggestedResponse.contains("2 laptops"))
        #expect(en.suggestedResponse.contains("tomorrow"))
        #expect(Fixture.analyze("where is my order ORD-48213?").suggestedResponse.contains("ORD-48213"))
    }

    @Test func sentiment() {
        #expect(Fixture.analyze("this is the worst, totally broken 😡").sentiment == .negative)
        #expect(Fixture.analyze("amazing quality, loved it 😍").sentiment == .positive)
        #expect(Fixture.analyze("what are your timings").sentiment == .neutral)
        #expect(Fixture.analyze("not good at all").sentiment == .negative)
    }

    @Test func jsonShape() {
        let json = Fixture.analyze("I want 2 laptops").jsonString
        for key in ["\"intent\"", "\"entities\"", "\"lead_score\"", "\"lead_quality\"", "\"sentiment\"", "\"language\"", "\"suggested_actions\"", "\"suggested_response\""] {
            #expect(json.contains(key))
        }
    }
}
