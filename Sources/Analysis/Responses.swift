import Events

/// Short template replies in the customer's language that use the extracted entities.
enum ResponseWriter {
    static func plural(_ word: String) -> String {
        guard let last = word.last else { return word }
        if word.hasSuffix("s") || word.hasSuffix("x") || word.hasSuffix("ch") || word.hasSuffix("sh") { return word + "es" }
        if last == "y", let before = word.dropLast().last, !"aeiou".contains(before) { return word.dropLast() + "ies" }
        if last.isNumber { return word }
        return word + "s"
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    /// "2 laptops", "3 kg rice", "a laptop".
    static func item(_ e: Entities) -> String? {
        if let q = e.quantities.first {
            if let p = q.product {
                if let u = q.unit, !Words.containers.contains(u) { return "\(number(q.value)) \(u) \(p)" }
                if let u = q.unit { return "\(number(q.value)) \(q.value == 1 ? u : plural(u)) of \(p)" }
                return "\(number(q.value)) \(q.value == 1 ? p : plural(p))"
            }
            if let u = q.unit { return "\(number(q.value)) \(u)" }
        }
        return e.products.first
    }

    static func money(_ p: Price) -> String {
        let symbol: String
        switch p.currency {
        case "INR": symbol = "₹"
        case "USD": symbol = "$"
        case "EUR": symbol = "€"
        case "GBP": symbol = "£"
        default: symbol = p.currency + " "
        }
        return symbol + number(p.amount)
    }

    static func write(intent: Intent, entities e: Entities, language: String) -> String {
        let hi = language == LanguageCode.romanizedHindi
        let item = item(e)
        let date = e.dates.first?.text
        // "at 6pm" reads better than "6pm" after a verb.
        let when = date.map { ($0.first?.isNumber ?? false) ? "at \($0)" : $0 }
        let order = e.orderIDs.first
        let price = e.prices.first.map(money)
        switch intent {
        case .orderRequest:
            if let item {
                let orderWhen = date.map { hi ? " \($0) tak" : " for \($0)" } ?? ""
                return hi ? "Zaroor! \(item) ka order\(orderWhen) note kar liya hai. Delivery address aur payment details bhej dijiye."
                    : "Great choice! I've noted your order for \(item)\(orderWhen). Please share your delivery address to confirm."
            }
            return hi ? "Zaroor! Aapko kaunsa product aur kitni quantity chahiye?" : "Happy to help you order! Which product and how many would you like?"
        case .pricingInquiry:
            if let item { return hi ? "\(item) ka price abhi bhej rahe hain." : "Sure! I'll share the price for \(item) right away." }
            return hi ? "Hum aapko price list abhi bhej rahe hain." : "Sure! I'll send you our latest price list."
        case .availabilityInquiry:
            if let item { return hi ? "\(item) ka stock check karke abhi batate hain." : "Let me check stock for \(item) and get back to you shortly." }
            return hi ? "Stock check karke batate hain. Kaunsa product chahiye?" : "Let me check availability. Which product are you looking for?"
        case .productInquiry:
            if let item { return hi ? "\(item) ki details aur photos bhej rahe hain." : "Here are the details for \(item). I'll send photos and specs too." }
            if let price { return hi ? "\(price) ke budget mein options bhej rahe hain." : "I'll share options within your \(price) budget." }
            return hi ? "Hum aapko apna catalog bhej rahe hain." : "I'll send you our catalog with all the details."
        case .discountInquiry:
            return hi ? "Abhi ke offers aur discounts ki details bhej rahe hain." : "Let me share our current offers and discounts with you."
        case .orderStatus:
            if let order { return hi ? "Order \(order) ka status check karke abhi batate hain." : "Let me check the status of order \(order) for you." }
            return hi ? "Kripya apna order number bhejiye, hum status check karte hain." : "Please share your order number and I'll check its status."
        case .orderCancellation:
            if let order { return hi ? "Order \(order) cancel karne ki request le li hai." : "I've raised a cancellation request for order \(order)." }
            return hi ? "Cancel karne ke liye apna order number bhejiye." : "Sorry to see that. Please share your order number to cancel it."
        case .orderModification:
            return hi ? "Order mein badlav ke liye request le li hai. Kya change karna hai, bata dijiye."
                : "I can help update your order\(order.map { " \($0)" } ?? ""). Please confirm the changes you need."
        case .deliveryInquiry:
            if let date { return hi ? "\(date) tak delivery possible hai ya nahi, check karke batate hain." : "Let me check if we can deliver by \(date)." }
            return hi ? "Delivery usually 3-5 din mein hoti hai. Apna pincode bhejiye." : "Delivery usually takes 3-5 days. Please share your pincode for an exact estimate."
        case .paymentInquiry:
            return hi ? "Hum UPI, card aur net banking lete hain. Payment link bhej rahe hain." : "We accept UPI, cards and net banking. I'll send you a payment link."
        case .refundRequest:
            return hi ? "Maafi chahte hain. Aapki refund/return request shuru kar di hai\(order.map { " (order \($0))" } ?? "")."
                : "Sorry about that. I've started your return/refund request\(order.map { " for order \($0)" } ?? "")."
        case .invoiceRequest:
            return hi ? "Invoice aapko jaldi bhej rahe hain." : "I'll send the invoice\(order.map { " for order \($0)" } ?? "") shortly."
        case .complaint:
            return hi ? "Hume bahut afsos hai. Humne complaint register kar li hai, team jaldi sampark karegi."
                : "We're really sorry about this. I've logged a complaint and our team will contact you soon."
        case .feedback:
            return hi ? "Aapke feedback ke liye dhanyavaad!" : "Thank you for your feedback! We really appreciate it."
        case .scheduleCall:
            if let date, let when { return hi ? "Hum aapko \(date) call karenge." : "Sure, we'll call you \(when)." }
            return hi ? "Hum aapko jaldi call karenge. Kaunsa time theek rahega?" : "Sure, we'll call you back. What time works best for you?"
        case .bookingRequest:
            if let date, let when { return hi ? "\(date) ke liye booking note kar li hai. Confirm karke batate hain." : "I've noted your booking \(when == date ? "for \(date)" : when). We'll confirm shortly." }
            return hi ? "Booking ke liye date aur time bata dijiye." : "Happy to book that for you. Which date and time suit you?"
        case .humanAgent:
            return hi ? "Aapko hamari team ke member se connect kar rahe hain." : "Connecting you to a member of our team now."
        case .accountSupport:
            return hi ? "Account ki problem ke liye ticket bana diya hai, hum jaldi madad karenge." : "I've created a ticket for your account issue. We'll help you shortly."
        case .businessInfo:
            return hi ? "Hamari timings aur address ki details bhej rahe hain." : "Here are our business hours and address details."
        case .greeting:
            return hi ? "Namaste! Batayiye, hum aapki kya madad kar sakte hain?" : "Hello! How can I help you today?"
        case .thanks:
            return hi ? "Aapka swagat hai! Aur kuch madad chahiye toh batayiye." : "You're welcome! Let us know if you need anything else."
        case .goodbye:
            return hi ? "Dhanyavaad! Aapka din shubh ho." : "Thank you! Have a great day."
        case .optOut:
            return hi ? "Aapko ab hamare messages nahi aayenge." : "You've been unsubscribed and won't receive further messages."
        case .unknown:
            return hi ? "Kripya thoda detail mein bataiye, hum madad karenge." : "Could you tell me a little more so I can help?"
        }
    }
}
