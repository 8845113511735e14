import Analysis
import Events
import Testing

/// A small development set written independently of `Fixtures/analysis/eval.jsonl`, in the
/// style of public customer-support corpora, to watch generalization.
@Suite("Dev set")
struct DevSetTests {
    static let examples: [(String, Intent)] = [
        ("I would like to place an order for three blue t-shirts", .orderRequest),
        ("can you send me 5 boxes of the green tea", .orderRequest),
        ("I'd like to buy the leather jacket in size L", .orderRequest),
        ("bhaiya 1 kg kaju bhej do", .orderRequest),
        ("ready to purchase the 55 inch TV today", .orderRequest),
        ("how much does the standing desk cost?", .pricingInquiry),
        ("what's the price for a deep tissue massage", .pricingInquiry),
        ("rate kya hai iska", .pricingInquiry),
        ("could you share a quote for 100 mugs", .pricingInquiry),
        ("is the 128gb model in stock", .availabilityInquiry),
        ("do you have this shoe in size 9?", .availabilityInquiry),
        ("when will the black hoodie be back in stock", .availabilityInquiry),
        ("ye saree available hai kya?", .availabilityInquiry),
        ("what material is the sofa cover made of", .productInquiry),
        ("does the blender come with a warranty", .productInquiry),
        ("can you tell me more about the yoga course", .productInquiry),
        ("what's the difference between the pro and the max?", .productInquiry),
        ("do you have any coupon codes right now", .discountInquiry),
        ("is there a student discount?", .discountInquiry),
        ("koi offer chal raha hai kya", .discountInquiry),
        ("can you give me a better deal if I buy two", .discountInquiry),
        ("I need to check the status of my order", .orderStatus),
        ("has my package shipped yet?", .orderStatus),
        ("track order 559812 please", .orderStatus),
        ("mera order abhi tak nahi aaya", .orderStatus),
        ("I want to cancel my purchase", .orderCancellation),
        ("please cancel order #88231, ordered by mistake", .orderCancellation),
        ("mujhe apna order cancel karna hai", .orderCancellation),
        ("I need to change the shipping address on my order", .orderModification),
        ("can I switch the size on my order to medium?", .orderModification),
        ("please add one more pizza to my order", .orderModification),
        ("how long does shipping take to Chennai?", .deliveryInquiry),
        ("do you ship internationally", .deliveryInquiry),
        ("what are the delivery charges for Noida", .deliveryInquiry),
        ("kitne din mein delivery hogi?", .deliveryInquiry),
        ("what payment methods do you accept?", .paymentInquiry),
        ("can I pay in installments", .paymentInquiry),
        ("my card was charged but the payment shows failed", .paymentInquiry),
        ("do you take cash on delivery", .paymentInquiry),
        ("how can I get a refund for my order", .refundRequest),
        ("I want to return these headphones", .refundRequest),
        ("can I exchange the shirt for a bigger size", .refundRequest),
        ("mujhe paise wapas chahiye", .refundRequest),
        ("can you send me the bill for last month", .invoiceRequest),
        ("I need a GST invoice for my purchase", .invoiceRequest),
        ("please email me the receipt", .invoiceRequest),
        ("the package arrived open and two items were missing", .complaint),
        ("your delivery guy was extremely rude", .complaint),
        ("the food was cold and tasteless, very disappointed", .complaint),
        ("product bilkul bakwas nikla", .complaint),
        ("I'd like to leave a review, the service was excellent", .feedback),
        ("great experience shopping with you, will recommend to friends", .feedback),
        ("suggestion: please add a dark mode to the app", .feedback),
        ("can someone call me about my order", .scheduleCall),
        ("please give me a call at 9876501234", .scheduleCall),
        ("mujhe call karo shaam ko", .scheduleCall),
        ("I'd like to schedule a demo for my team", .bookingRequest),
        ("can I get an appointment on Friday at 3pm", .bookingRequest),
        ("reserve a table for two tonight", .bookingRequest),
        ("I want to speak with a customer service agent", .humanAgent),
        ("let me talk to a real person", .humanAgent),
        ("this bot is useless, get me a human", .humanAgent),
        ("how do I reset my password", .accountSupport),
        ("I can't log into my account", .accountSupport),
        ("I'm not getting the OTP", .accountSupport),
        ("where is your store located?", .businessInfo),
        ("what are your opening hours on Saturday", .businessInfo),
        ("are you open on public holidays?", .businessInfo),
        ("good afternoon", .greeting),
        ("hey there!", .greeting),
        ("namaste ji", .greeting),
        ("thank you so much for your help", .thanks),
        ("thx, got it", .thanks),
        ("shukriya bhai", .thanks),
        ("ok bye, take care", .goodbye),
        ("see you later", .goodbye),
        ("please unsubscribe me from your newsletter", .optOut),
        ("stop sending me promotional messages", .optOut),
        ("remove my number from your list", .optOut),
        ("what is the meaning of life", .unknown),
        ("lol", .unknown),
        ("can you recommend a good movie to watch", .unknown),
    ]

    @Test func accuracy() {
        var correct = 0
        var misses: [String] = []
        for (text, expected) in Self.examples {
            let got = Fixture.analyze(text).intent.intent
            if got == expected { correct += 1 } else { misses.append("\(text) -> \(got.rawValue) (want \(expected.rawValue))") }
        }
        let accuracy = Double(correct) / Double(Self.examples.count)
        print("dev set: \(correct)/\(Self.examples.count) = \(accuracy)")
        for m in misses { print("  miss: \(m)") }
        #expect(accuracy >= 0.8)
    }
}
