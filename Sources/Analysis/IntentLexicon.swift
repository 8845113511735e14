import Events

/// Cue phrases per intent, written in canonical (slang-normalized) words. `phrase:weight`,
/// default weight 1. `*` matches any one word. Phrases containing a negation word are cues in
/// their own right and are never negated.
enum IntentLexicon {
    static let cues: [(Intent, String)] = [
        (.orderRequest, """
        i want to order:3.5|want to order:3.5|wanna order:3|like to order:3.5|would like to order:3.5|place an order:3.5|place order:3.5|\
        place my order:3|placing an order:3|put an order:3|want to buy:3.5|like to buy:3.5|i want to purchase:3.5|want to purchase:3.5|\
        buy:1.8|purchase:2|order:1.2|ordering:2|take my order:3.5|i will take:2.5|ill take:2.5|add to cart:2.5|send me:1.6|\
        book my order:3|confirm order:2.5|confirm my order:2|order now:2.5|order karna hai:4|order karna:3.5|order kar do:4|order karo:3.5|\
        order dena hai:4|kharidna hai:4|kharidna:3|lena hai:2.5|chahiye:1.6|i need:1.5|need:1|i want:1.4|want:0.6|bhejo:1.8|dedo:1.5|de do:1.5|\
        bhej do:2|bhijwa do:2|pack:0.8|get me:1.8|interested in buying:3.5|ready to buy:3.5|going to buy:2.5|deliver me:1.5|\
        can i order:3|can i get:2.2|could i get:2.2|i would like:1.6|id like:1.6|gimme:1.5|give me:1.5|want to get:1.8|i need to buy:3.5|\
        please send:1.8|do the order:3|finalize:2|finalise:2|go ahead with:2.5|proceed with the order:3.5|need to order:3.5|\
        looking to buy:3.5|planning to buy:2.5|add:0.6|pieces:0.8|pcs:0.8|quantity:1|bulk order:3.5|wholesale:1.5|cart:1.2|checkout:2|\
        like to purchase:3.5|would like to purchase:3.5|please deliver:2.4|process the order:3.2|book the order:3.6|please process:2|want to get:2.5|i will buy:3|ill buy:2.6|buy karna:3.6|buy karu:3.4|lena chahta:3.2|lena chahti:3.2|mangwana:3.4|mangana:3|send over:2|deliver karo:3|bhej dijiye:2.6|bhej dena:2.4|book karo order:3.6|confirm the order:2.6
        """),
        (.pricingInquiry, """
        price:2.6|prices:2.6|pricing:2.8|cost:2.2|costs:2.2|how much:3.2|how much is:3.4|how much for:3.4|how much does:3.4|rate:2.2|rates:2.4|\
        kitne ka:3.5|kitne ki:3.5|kitne ke:3.5|kitne mein:3.2|kitne:2|price kya hai:3.8|rate kya hai:3.8|kya price:3.5|kya rate:3.5|daam:2.8|\
        price list:3.8|rate list:3.8|quotation:3|mrp:2.8|charges:1.8|charge:1.2|how much will it cost:3.8|what does it cost:3.8|\
        expensive:1.2|cheap:1|cheapest:1.6|budget:1.5|whats the price:3.6|what is the price:3.6|price batao:3.8|rate batao:3.8|\
        price please:3.5|price pls:3.5|kitna padega:3.8|kitne ka padega:3.8|padega:1.5|how much would:3.4|quote me:3.5|estimate:2|\
        price range:3|worth:0.8|fees:2.2|fee:2|tariff:2.2|per kg:1.2|per piece:1.2|per unit:1.2|\
        kitna lagega:4|lagega:2.4|charges for:3.4|what are the charges:4|total kitna:3.6|kitna hua:3.6|how much is it:3.6|price for:3|cost for:3|rate for:3|ka rate:3|ka price:3.2|ki price:3.2|kitne rupees:3.6|what would * cost:3.4|would cost:3|will cost:3|cost me:3|price kitna:3.8|quote for:3.4|is it * or:0.8
        """),
        (.availabilityInquiry, """
        available:2.6|availability:3.2|in stock:3.5|stock:2|out of stock:2.8|do you have:2.6|do you sell:2.2|you have:1.4|have any:1.2|\
        any left:2.8|still have:2.2|still available:3.5|is it available:3.6|available hai:3.8|available hai kya:4|milega kya:3.2|\
        mil jayega:2.6|mil sakta:2.6|milta hai:2.4|hai kya:1.4|stock mein:3.5|restock:3|back in stock:3.8|when will * be available:3.5|\
        carry:1.2|in store:1.4|size available:3|sizes available:3|available in:2.8|left in stock:3.5|sold out:2.8|can i get * in:1.6|\
        you guys have:2.8|u guys have:2.8|aapke paas:3|paas hai:2.6|have it in:2.6|do you stock:3.2|stocked:2.4|is there stock:3.6|in stock or:2|abhi hai:2|ready stock:3.4|available today:3.6|available now:3.4|can i get it today:2.8
        """),
        (.productInquiry, """
        details:1.8|detail:1.5|specifications:3.2|features:2.8|feature:2|tell me about:2.8|tell me more:2.8|more about:2|information:1.6|\
        more information:2.4|colors:2.2|colours:2.2|color:1.6|colour:1.6|sizes:1.6|size:1.2|warranty:2.4|guarantee:2|material:2.2|\
        which is better:3|difference between:3|compare:2.4|comparison:2.4|recommend:2.2|suggest:1.8|suggestion:1.2|catalog:2.8|brochure:2.8|\
        models:1.8|model:1.2|options:1.6|variants:2.4|variant:2|does it come with:2.8|does it have:2.8|does it support:2.8|is it:0.6|\
        compatible:2.4|battery:1.8|quality:1.2|original:1.4|genuine:1.6|how does it work:2.8|dimensions:2.6|weight:1.4|ingredients:2.6|\
        made of:2.6|kaisa hai:2.4|kaise hai:1.6|review:0.8|range:0.8|collection:1.8|products:1.8|product:1|what do you sell:3|\
        what products:3|looking for:1.8|show me:2|send pics:2.6|photos:2.2|pictures:2.2|pics:2.2|images:2|video:1.4|latest:1.4|\
        new arrivals:2.8|waterproof:2.4|capacity:2|storage:1.4|ram:0.8|processor:2|camera:1.4|display:1.4|fabric:2.2|cotton:1|\
        menu:2.4|services:1.8|do you offer:2.2|do you provide:2.2|kaunsa:1.8|konsa:1.8|which one:2|best:0.8|any other:1|\
        come with:2.8|comes with:2.8|included:2.2|what all:1.8|is it safe:3|safe for:2.8|how long does it last:3|last:0.6|difference:2.2|better:1|explain:1.8|how does:1.8|how do the:1.6|okay for:2|suitable for:2.8|good for:1.6|does this:1.4|does the:1.2|do your:1.2|do the:1|can this:1.6|calories:2.8|preservatives:2.8|made from:2.6|contain:2.2|contains:2.2|kitne watt:3|watt:2|size chart:3.2|fit:1|fits:1.2|covered:1.4|syllabus:2.8|course:1.6|duration:2|recorded or live:3|what is included:3.2|whats included:3.2
        """),
        (.discountInquiry, """
        discount:3.5|discounts:3.5|offer:2.6|offers:2.8|coupon:3.6|coupons:3.6|promo:3.4|promo code:3.8|deal:2.2|deals:2.4|sale:2.2|\
        cashback:3.6|bulk discount:4|any discount:4|lower price:2.6|less price:2.6|reduce the price:3.2|reduce price:3.2|kam karo:3|kam kar do:3|\
        thoda kam:3.5|kuch kam:3|negotiable:3.5|negotiate:3|festive offer:3.8|voucher:3|promotion:2.4|best price:2|best rate:2|\
        special price:2.6|student discount:4|referral:2.4|loyalty:2.2|price kam:3.5|final price:2.2|last price:2.6|combo:1.8|free gift:2.4|\
        buy one get one:3.4|bogo:3.4|percent off:3|off:0.8|clearance:2.6|black friday:3|diwali offer:3.8|code:1.2|\
        better price:3.6|better deal:3.6|concession:3.6|price match:4|match the price:4|match:1.6|can you do:1.6|instead of:0.6|any offer:3.8|koi offer:3.8|koi discount:4|discount milega:4.2|best deal:3.2|cheaper:1.6|reduce:1.2|kam ho sakta:3.4|kam hoga:3.4|thoda kam karo:3.8|kuch kam karo:3.8|bargain:3.2|first order discount:4.2|first time:1
        """),
        (.orderStatus, """
        where is my order:4.5|where is my:2.8|wheres my:2.8|order status:4.5|status of my order:4.5|status of order:4.2|status:2.2|track:3|tracking:3|\
        track my order:4.6|my order:1.4|update on my order:3.8|any update:2.6|update on:1.8|kahan hai:2.6|kaha hai:2.6|kahan pahuncha:3.5|\
        order kahan:3.6|kab aayega:2.8|kab ayega:2.8|kab aaega:2.8|kab tak aayega:2.8|shipped:2.2|dispatched:2.4|has it shipped:3.4|\
        been shipped:3|not yet received:2.4|havent received:2.4|not received:2.2|still not received:2.6|hasnt arrived:2.6|not arrived:2.4|\
        didnt receive:2.4|not delivered:2.2|out for delivery:2.6|tracking number:3.2|tracking id:3.2|awb:3|when will my order:3.8|\
        when will i get my:3.2|is my order:2.6|my package:2.2|my parcel:2.4|my shipment:2.4|order kab:3.2|still waiting:1.6|abhi tak nahi aaya:3.4|\
        nahi aaya:2.4|nahi mila:2.2|kab milega mera:3.2|mera order:2.4|order confirm hua:3|order confirmed:2.2|confirmation:1.6|placed an order:1.6|\
        i ordered:1.4|on the way:1.8|where is it:2|in transit:2.6|estimated delivery:2.4|eta:2.6|\
        any news:3|news on:2.6|is it ready:3|ready yet:3.2|ready for pickup:3|ho gaya kya:2.4|hua kya:1.8|i ordered:2|ordered:1.2|order placed:2|placed:1|shipping confirmation:3.2|confirmation email:2.8|not dispatched:3|dispatch nahi:3|abhi tak:1.8|kab tak aayega:3|still not here:3.2|not here yet:3.2|delayed order:3|order delayed:3|when will i get my order:4|where is the order:4|expected delivery date:3|delivery date for:2.4
        """),
        (.orderCancellation, """
        cancel:4.4|cancel my order:5|cancel the order:5|cancellation:3.8|cancel karo:4.5|cancel kar do:4.5|cancel karna:4.5|cancel kardo:4.5|\
        dont want it anymore:4|dont want this anymore:4|no longer need:3.2|no longer want:3.2|dont need it anymore:3.8|call off:2|cancelled:2.2|\
        want to cancel:5|please cancel:5|nahi chahiye ab:3.5|ab nahi chahiye:3.5|order nahi chahiye:3.5|revoke:2.4|withdraw my order:3.8|stop my order:3.8|\
        stop the order:3.8|stop the delivery:3|dont ship:3.5|dont send:1.4|hold the order:2.4|\
        cancel my appointment:5|cancel the appointment:5|cancel appointment:5|cancel my booking:5|cancel the booking:5|cancel booking:5|cancel my reservation:5|cancel the reservation:5|cancel reservation:5|cancel my table:5|cancel the order:5|cancel order:5|cancel kar dijiye:4.6|cancel kardo:4.6|need to cancel:5|have to cancel:5|cancel it:4.6|cancel this:4.6|i cancel:3
        """),
        (.orderModification, """
        change my order:4.6|modify:3.6|modify my order:4.8|change the address:3.8|change address:3.6|change delivery address:4.2|change my address:3.8|\
        update my address:3.6|update address:3.4|update delivery address:4|new address:2.4|add to my order:4|add one more:2.6|add * more:2.2|\
        change the quantity:4.2|change quantity:4|increase quantity:4|reduce quantity:4|increase the quantity:4|change size:3.6|change the size:3.6|\
        change color:3.6|change the color:3.6|change colour:3.6|instead of:2.4|edit my order:4.6|edit order:4.4|update my order:4|change:1.8|\
        switch to:2.2|make it:1.4|badalna:3.2|badal do:3.4|change karna:3.6|change kar do:3.8|change karo:3.6|remove * from my order:4|\
        remove from my order:4|add another:2.2|update the order:3.8|change the delivery date:4|reschedule delivery:4|different address:3|wrong address:2.4|\
        delivery date change:4|change in order:4|also add:2.6|\
        change the delivery:3.6|change delivery:3.6|change the time:3.4|change the date:3.6|move it to:3.2|moved to:2.6|be moved:2.8|push my:2.8|push it:2.8|postpone:3.2|prepone:3.4|reschedule:3.4|shift to:2.8|shift the:2.4|upgrade:2.6|upgrade to:3|downgrade:3|swap:2.4|update the name:3.2|change the name:3.2|change the phone:3.4|change the colour:3.6|change the fabric:3.6|reduce my order:4.4|to my order:3.2|from my order:3.4|in the same order:3.4|same order:2.4|order mein:2.4|order me:2|galat daal:3.4|galat dala:3.4|ki jagah:3.2|instead:1.4|bana dena:2|add kar do:2.8|add karo:2.8|add kardo:2.8|hata do:3|remove kar do:3.4|nikal do:2.4
        """),
        (.deliveryInquiry, """
        delivery:2|deliver:1.6|shipping:2.6|ship to:2.8|ship:1.4|how long:2.2|how many days:2.8|when will it arrive:3.2|when will i receive:3|\
        delivery time:3.4|delivery charges:3.8|delivery charge:3.8|delivery fee:3|shipping cost:3|shipping charges:3|do you deliver:3.8|deliver to:2.8|\
        pincode:3.2|pin code:3.2|courier:2.2|kab tak milega:3.2|kab milega:3|kab tak:1.6|kitne din:3.2|kitne din mein:3.6|same day delivery:3.6|\
        express delivery:3.6|free delivery:3|free shipping:3|arrive:1.6|reach me:1.4|dispatch:1.8|home delivery:3.4|deliver by:2.8|delivered by:2.4|\
        deliver on:2.6|international shipping:3.8|ship internationally:3.8|delivery area:3.6|service area:2.8|deliver here:3|delivery kab:3.4|\
        delivery hogi:3.4|delivery ho jayegi:3.4|delivery possible:3.4|deliverable:3|how soon:2.6|by when:2|shipping time:3.4|transit:1.2|\
        cod available:2.6|pickup:2|pick up:2|collect:1.2|\
        delivered:1.6|pahunch:2.6|pahunch jayega:3.6|pahunchega:3.4|reach:1.6|can it reach:3|will it reach:3|packed:2.4|packaging:1.4|delivery slot:3.6|slots:1|come by:2.2|will it come:2.6|delivery to:2.6|deliver at:2.6|shipping to:3|courier charges:3.2|delivery time:3.4|how much time for delivery:4|delivery kab tak:3.6|aayega kab:2.6
        """),
        (.paymentInquiry, """
        payment:2.6|pay:2.2|upi:3.2|gpay:3.2|google pay:3.2|paytm:3.2|phonepe:3.2|card:1.6|credit card:2.8|debit card:2.8|emi:3.2|\
        cash on delivery:3.4|cod:2.6|net banking:3.2|netbanking:3.2|payment link:3.6|payment failed:3.4|payment fail:3.4|money deducted:3.2|\
        amount deducted:3.2|paid:1.6|bank transfer:3.4|neft:3.2|rtgs:3.2|imps:3.2|how can i pay:4|how do i pay:4|how to pay:3.8|payment options:4|\
        payment methods:4|payment mode:3.8|payment modes:3.8|qr code:3|qr:2.4|account number:2|installment:3.2|installments:3.2|payment kaise:4|\
        pay kaise:4|advance payment:3.4|advance:1.4|pay later:3|paypal:3.2|cheque:2.8|check payment:2.6|transaction failed:3.4|transaction:2|\
        double charged:3.4|charged twice:3.4|payment pending:3.4|payment done:3.2|payment kar diya:3.6|paise bhej:2.8|bank details:3.2|accept card:3.6|\
        accept upi:3.6|accept credit:3.6|\
        accept:1.6|cards:2.4|amex:3.4|visa:2.6|mastercard:3|rupay:2.6|transfer:2.2|charged:1.8|debited:3|deducted:3|bank account:2.8|online payment:3.6|pay online:3.6|pay by:3|pay with:3|pay via:3|pay in:2|paying:2.2|payment confirmation:3|online de sakte:3|advance dena:3.6|credit terms:3.2|wallet:1.4|pay on delivery:3|refund of payment:1
        """),
        (.refundRequest, """
        refund:4.4|money back:4.2|return:3.2|returns:3|return it:3.6|return this:3.6|want to return:4.2|return policy:3|exchange:3.4|\
        exchange it:3.8|replacement:3.4|paisa wapas:4.4|paise wapas:4.4|paisa vapas:4.4|paise vapas:4.4|wapas:2.2|vapas:2.2|want my money:3.6|\
        reimburse:3.4|reimbursement:3.4|send it back:3.6|return karna:4.4|return karna hai:4.6|exchange karna:4.4|refund chahiye:4.8|\
        refund status:3.8|get my money:3.4|return pickup:4|return request:4.4|credit back:3|chargeback:3.4|refunded:3.6|swap:2|\
        replacement:4|need a replacement:4.8|want a replacement:4.8|send them back:4.2|send it back:4.2|send back:3.8|how do i return:4.8|return the:3.8|return them:4|return my:3.8|got my money back:3|money back:4.4|paise kab:2.4|paisa kab:2.4|refund kab:4.4|not refunded:4.2|get a refund:4.6|exchange the:3.8|exchange for:3.6|return and:3.4|return or exchange:4.2|exchange karna hai:4.6|badalna hai:2.2|bigger size instead:2.4
        """),
        (.invoiceRequest, """
        invoice:4.2|bill:3|gst:2.8|gst invoice:4.6|gst bill:4.6|receipt:3.8|tax invoice:4.6|billing:2.2|bill chahiye:4.6|bill bhejo:4.6|\
        proforma:3.8|pro forma:3.8|payment receipt:4.4|copy of the bill:4.4|copy of invoice:4.6|send the invoice:4.8|send invoice:4.6|\
        invoice bhejo:4.8|bill please:4.4|billing address:2|gstin:3.2|credit note:3.4|purchase order:2|statement:1.8|\
        gst details:3.6|bill copy:4.4|tax receipt:4.4|invoice copy:4.6|bill mein:3.2|bill me:2.4|billing issue:2.4
        """),
        (.complaint, """
        damaged:3.2|broken:3.2|defective:3.4|not working:3.4|doesnt work:3.4|dont work:3|stopped working:3.6|worst:3.4|terrible:3.4|horrible:3.4|\
        pathetic:3.6|disappointed:3|disappointing:3|unacceptable:3.4|complaint:3.8|wrong item:3.8|wrong product:3.8|wrong size:3|wrong color:3|\
        wrong order:3.6|received wrong:3.8|sent wrong:3.8|missing:2.4|fraud:3.8|scam:3.8|cheated:3.6|cheat:3|poor quality:3.6|bad quality:3.6|\
        bad:1.6|late:1.6|delayed:2.2|delay:2|rude:3.4|bakwas:3.4|kharab:3.4|ghatiya:3.6|tuta:3|toota:3|tuta hua:3.6|not happy:3|very bad:3.4|\
        useless:3|waste:2.4|waste of money:3.8|leaking:3|leak:2.4|expired:3.4|no response:3|nobody responded:3.2|no one responded:3.2|angry:2.6|\
        frustrated:3|fed up:3.4|ridiculous:3|issue:1.6|problem:1.8|not satisfied:3.2|unhappy:3|dissatisfied:3.2|poor service:3.6|bad service:3.6|\
        scratches:2.8|scratch:2.4|torn:3|stale:3|cold food:3|overcharged:3.4|wrong bill:3|never again:3|faulty:3.4|cracked:3.2|dead on arrival:3.8|\
        not as described:3.6|fake:3.4|duplicate product:3.4|hate:2.4|irritated:2.8|disgusting:3.4|awful:3.4|kuch nahi hua:2|koi jawab nahi:3|\
        not responding:2.8|no reply:2.8|ignored:2.6|still not:1.4|escalate:1.6|legal action:3.6|consumer court:3.8|sucks:3.2|annoyed:2.8|\
        waited:2.4|waiting for:1.2|kept me waiting:3.6|wasted:2.8|nobody picks up:3.6|no one picks up:3.6|nobody answers:3.4|not picking:3.2|phone nahi uthate:3.6|crashing:3|keeps crashing:3.4|crash:2.2|misbehaviour:3.6|misbehaved:3.6|badtameez:3.6|behaviour:2|rude staff:3.8|galat:2.2|again:0.8|third time:2.8|second time:2.4|every time:1.6|har baar:2.6|kitni baar:2.8|didnt show up:3.4|did not show up:3.4|no show:3.2|too loud:2.8|too sweet:2.4|too salty:3|too spicy:2.6|cold:1|without the:1.6|charged me extra:3.6|extra charge:2.4|didnt even:2.4|not even:1.6|hurry:1.4|not properly:2.6|didnt listen:3|couldnt even:2.4|hair in:3|baal:2.6|insect:3.2|cockroach:3.6|smell:2|smells:2.4|dirty:3|unhygienic:3.6|worse:2.6|never on:1.4|no one helps:3|nobody helps:3|ignore:2|ye kya hai:2.2|kya bakwas:3.6|different from:2.6|not what i:3|not what we:3|wrong:2|came without:3|way too:2|not acceptable:3.6|cheating:3.4|disappointed with:3.4
        """),
        (.feedback, """
        feedback:3.8|review:2.2|loved:2.8|love it:3.2|love the:2.4|loving:2.4|great product:3.4|great service:3.4|excellent:2.8|amazing:2.6|\
        awesome:2.4|happy with:2.8|satisfied:2.2|good quality:2.8|nice product:3.2|keep it up:3.4|well done:3|bahut accha:3.2|mast:2.4|\
        badhiya:3.2|accha tha:3|accha hai:2.4|would suggest:1.6|you should:1.6|it would be nice if:3|would be nice:2.6|would be great if:2.8|\
        improve:2.4|improvement:2.6|rating:2.4|stars:2|5 star:2.8|five star:2.8|good service:3|great experience:3.4|good experience:3.2|\
        fantastic:2.6|wonderful:2.6|perfect:1.8|impressed:2.8|recommend you:2.2|will recommend:3|highly recommend:3.2|quick delivery:1.8|\
        fast delivery:1.8|super:1.4|suggestion:1.6|superb:2.8|lovely:2.4|shandaar:3|zabardast:3|beautiful:1.8|delicious:2.6|tasty:2.4|\
        just a suggestion:4|a suggestion:3.2|suggestion:2.4|could be better:3.4|could be bigger:3.4|could use:2.6|good job:3.4|great job:3.4|nice job:3.4|happy customer:3.6|full marks:3.4|helped:2|helped me:2.6|best in:3|hands down:3|decent:2.2|overall:1.6|acchi quality:3.2|acchi hai:2.4|quality hai:1.4|smooth process:3.2|smooth:1.6|much easier:2.8|easier to use:3|i miss:2.2|wanted to share:3|just wanted to say:3.4|kudos:3.6|thumbs up:3|5 stars:3.2|rated you:3.4|only issue:2.4|except:1.6|but the:0.6|not a complaint:4|just feedback:4.6|works perfectly:3.2|worked perfectly:3.2|perfectly:1.8|loved it:3.4|really liked:3.2|liked the:2.6|enjoyed:2.8
        """),
        (.scheduleCall, """
        call me:4.2|call back:4.2|callback:4.4|give me a call:4.4|phone call:3.2|ring me:3.8|call karo:4.2|call kar do:4.4|call kardo:4.4|\
        call kar dena:4.4|call karna:3.4|talk on phone:3.6|speak on phone:3.6|talk over phone:3.6|can you call:4.2|could you call:4.2|schedule a call:4.8|\
        schedule call:4.8|call:1.6|baat karni:2.4|baat karo:2.4|contact me:3|reach me:2.4|whatsapp call:3.6|video call:3.4|my number is:2|call at:2.6|\
        call on:2.2|call tomorrow:3.2|call today:3.2|phone pe baat:3.8|phone karo:3.8|phone kar do:4|call me back:4.6|get a call:3.4|quick call:3.8|\
        arrange a call:4.4|set up a call:4.4|discuss on call:4|hop on a call:4.2|call from:2|missed call:2.6|call not:1.6|\
        give me a ring:4.6|a ring:3|ring on:3.2|call my:3.4|team call:3|call during:3|call kar lena:4.4|call kar sakte:4.2|phone kar lena:4|call pe:3|ring me up:4.4|buzz me:3.6|dial me:3.6
        """),
        (.bookingRequest, """
        book:2.2|booking:2.2|appointment:3.6|reserve:3.2|reservation:3.6|table for:3.8|demo:3.6|schedule a demo:4.8|book a demo:4.8|site visit:1.0|\
        visit:1.6|slot:2.2|book a slot:4.4|test drive:4.2|consultation:3.4|session:1.4|book karna:4.2|book kar do:4.4|book karo:4.2|book kardo:4.4|\
        fix an appointment:4.4|service booking:4.2|schedule:1.2|trial:1.0|meeting:2.2|book an appointment:4.8|book appointment:4.8|\
        appointment chahiye:4.6|seat:1.8|seats:1.8|tickets:2.4|ticket:1.2|room:1.0|rooms:1.2|check in:2.2|checkin:2.2|haircut:2.6|\
        booking karni:4.2|slot available:3.6|free slot:3.6|come over:2.0|come and see:2.6|visit your store:3.4|visit the showroom:3.4|\
        installation:1.2|service visit:3.6|technician:1.4|repair:1.0|servicing:2.6|enroll:2.6|register for:2.4|class:0.8|classes:1.0|\
        book me in:4.4|book me:3.4|come for a visit:3.8|come in for:3|drop by:2.4|walk in:2.4|home visit:3.6|appointment mil:4.4|book a table:4.6|reserve a table:4.6|table for 2:4|party hall:3|venue:2.2|book for:2.6|book kar do:4.4
        """),
        (.humanAgent, """
        human:4.2|agent:3.8|real person:4.8|representative:4.4|talk to someone:4.4|speak to someone:4.4|talk to a person:4.6|speak to a person:4.6|\
        customer care:2.8|customer service:2.4|executive:3.2|manager:2.8|support team:2.4|live agent:4.8|not a bot:4.4|are you a bot:3.4|bot:2.2|\
        insaan:4.2|kisi se baat:4.2|connect me:3.4|transfer me:3.4|someone from:2.2|talk to a human:5|speak to a human:5|real human:5|\
        talk to an agent:5|speak with:2.4|talk with:2|actual person:4.6|live person:4.6|supervisor:3.6|senior:2|helpline:2.4|\
        toll free:2.2|connect to:2.2|person se baat:4.2|aadmi se baat:4.2|automated:2.4|robot:3|\
        put me through:4.4|chatbot:3.6|a person:2.6|person from:2.8|someone who can:2.6|someone who:1.6|take over:2.4|speak to the:2.4|talk to the:2.2|to a human:4.6|human being:4.6|real agent:4.8|asli insaan:4.4|kisi insaan:4.4|koi insaan:4.4|kisi se:2.4|escalate this:3.2|your manager:3.6|senior person:4|\
        se baat karao:4.2|baat karao:3.8|baat karwao:3.8|baat karwa do:3.8|staff member:3.2|staff se:3.6|someone to respond:3.4|let a:0.5|real staff:4.2
        """),
        (.accountSupport, """
        password:4.2|login:4|log in:4|sign in:4|signin:4|account:2.6|otp:3.6|reset:2.6|forgot:2.6|locked:3.2|blocked:2.4|username:3.8|user id:3.4|\
        profile:2.6|register:2.4|sign up:2.6|signup:2.6|delete my account:4.6|update my email:3.6|change my email:3.6|change my phone number:3.6|\
        verification:2.8|verify:2.4|cant login:4.6|cant log in:4.6|unable to login:4.6|not able to login:4.6|account hack:4.4|hacked:3.8|\
        two factor:3.6|2fa:3.6|membership:2.4|subscription:2.4|app not working:2.6|app:1.4|website not working:2.6|wallet:2.2|points:1.4|\
        kyc:3.4|my account:3.4|account details:3.2|deactivate:3.4|activate:2.4|recover:2.6|email id change:3.6|\
        merge my:3|two accounts:3|my profile:3.4|email change:3.2|otp nahi:4.4|otp not:4.4|not receiving otp:4.6|login nahi:4.4|login issue:4.4|account locked:4.6|reset password:4.8
        """),
        (.businessInfo, """
        address:2.6|location:3|located:3.2|where are you:3.2|where is your shop:4|where is your store:1.2|where is the shop:3.8|timings:4|\
        hours:2.2|opening hours:4.6|open:2|close:1.6|closed:1.4|working hours:4.4|business hours:4.6|store:1.4|shop:1.2|branch:2.6|branches:2.6|\
        contact number:3.2|phone number:1.6|email address:1.4|website:2.6|directions:3.2|how to reach:3.4|kab khulta:4.4|kab band:4|kab khulega:4.4|\
        open on sunday:4.4|are you open:4.4|open today:4|open now:4|what time do you:3.6|what time:1.6|parking:2.6|showroom:2.8|outlet:2.4|\
        google maps:3.4|map:2.2|landmark:2.8|near:1.2|nearest:2.2|office:1.0|gst number:2.6|about your company:3.4|about your business:3.4|\
        since when:2.2|owner name:2.4|dukaan:2.6|dukan:2.6|shop kahan:4|address kya hai:4.4|address bhejo:4.2|pata:1.4|instagram:0.8|\
        social media:2.6|holiday:2|holidays:2|lunch break:3|kab tak khula:4.4|till what time:3.6|how late:2.6|\
        branch in:3.6|store in:3|shop in:3|outlet in:3.4|email id:3.2|email:1.2|write to:2.2|wheelchair:3.4|accessible:2.6|owner of:3.2|owner:2.4|languages:2.4|speak tamil:3|registered:2.2|fssai:3|licensed:2.6|been around:3|right number:3.4|kitne baje:3.6|khula:3.6|khuli:3.6|khulta:3.6|band hota:3.6|timings:4.2|sunday timings:4.6|hours on:3.6|your hours:3.8|open till:4|open until:4|what time do you open:4.6|what time do you close:4.6|located:3.4|located in:3.6|where is ur shop:4|only online:3.2|online only:3.2|physical store:3.8
        """),
        (.greeting, """
        hi:2|hello:2.2|hey:2|good morning:2.6|good afternoon:2.6|good evening:2.6|namaste:2.6|namaskar:2.6|hola:2|greetings:2.2|yo:1|\
        sup:1|hi there:2.6|hello there:2.6|gm:1.6|salaam:2.4|assalamualaikum:2.6|ram ram:2.4|jai shree krishna:2.4|sat sri akal:2.6|howdy:2.2|\
        how are you:2|kaise ho:2|kaise hain:2|hope you are well:2|anyone there:2|is anyone there:2.4|\
        vanakkam:2.6|sat sri akal:2.8|hey there:2.4|hello sir:2.6|hi sir:2.6|hello ji:2.6|hi team:2.4|good day:1.8|kem cho:2.6|adaab:2.6|saw your ad:2|hello hello:2.4|hii:2|helo:2|\
        happy diwali:2.6|happy new year:2.6|happy holi:2.6|eid mubarak:2.6|merry christmas:2.6|season greetings:2.6
        """),
        (.thanks, """
        thanks:3|thank you:3.4|ty:2|shukriya:3.2|dhanyavaad:3.2|dhanyawad:3.2|dhanyavad:3.2|appreciate:2.6|appreciated:2.6|grateful:2.6|\
        thanks a lot:3.6|much appreciated:3.4|many thanks:3.4|thanks so much:3.6|thank you so much:3.8|cheers:2|thnks:3|great help:2.6|\
        thanks for the help:3.8|thanks for your help:3.8|helpful:1.8|got it thanks:3.6|ok thanks:3.4|okay thanks:3.4|\
        thanks for:4|thank you for:4.2|thanks a ton:3.8|thank u:3.4|thnx:3|thanks again:3.6|thanks bhai:3.6|thank you ji:3.6|shukriya ji:3.6|bahut shukriya:3.8|dhanyawaad:3.2|great thanks:3.4|got it:1.4|noted:1.6|received the:1.2|mil gaya:1.6
        """),
        (.goodbye, """
        bye:3.2|goodbye:3.6|good bye:3.6|bye bye:3.6|see you:2.6|see ya:2.6|take care:2.6|good night:3|gn:2|talk later:2.6|talk to you later:3|\
        ttyl:3|cya:3|alvida:3.2|chalo bye:3.6|have a nice day:2.6|have a good day:2.6|have a great day:2.6|later:0.8|signing off:3|thats all:2.4|\
        that is all:2.4|nothing else:2.4|catch you later:3|\
        phir milte:3.6|milte hai:3.2|milte hain:3.2|good day:1.6|leave it here:3|ill leave it:3|thats it for now:3.2|bye for now:3.6|see you soon:3.2|talk tomorrow:2.4|chalta hoon:3.4|chalti hoon:3.4|nikalta hoon:3.2|ok bye:3.6|okay bye:3.6|done for today:3
        """),
        (.optOut, """
        stop:2.4|unsubscribe:5.2|opt out:5.2|optout:5.2|remove me:4.4|dont message:4.8|dont text:4.8|stop sending:4.8|stop messaging:5.2|\
        no more messages:4.8|not interested:4.4|do not contact:5|dont contact:5|dont call:4.4|do not call:4.6|dont call me:4.8|block:1.6|spam:2.8|\
        mat bhejo:4.8|message mat karo:5|mat karo:2.2|band karo:3.4|band kar do:3.6|stop it:3|leave me alone:4.6|remove my number:5|\
        delete my number:5|remove from list:5|take me off:4.6|no thanks:2.8|no thank you:2.8|not needed:2.4|dont need:2|interest nahi:4.4|\
        nahi chahiye:1.8|please stop:3.0|stop spamming:5.2|dont disturb:4.2|do not disturb:4.2|dnd:4.2|unsubscribed:4|\
        no more offers:4.8|no more:2.4|dont send me:4|dont send anything:4.8|dont want to hear:4.6|hear from you:2.6|notifications:2.8|notification:2.4|sms:1.6|promotions:2.4|promotional:3.2|promotions list:4.6|mailing list:4.6|marketing:2.6|block my number:4.8|message na:4.4|dobara message:4.4|message mat:4.8|msg mat:4.8|remove me from:5|take my number off:5|stop calling:5|stop these:4.4|stop all:4.4|cancel all notifications:5.4|opt me out:5.4|dont contact me:5|\
        updates from you:4|whatsapp updates:4|more updates:3.4|any more messages:4.8|dont want any more:4.4|stop the updates:4.8|stop updates:4.8
        """),
        (.unknown, """
        wrong number:3.4|wrong chat:3.6|sent by mistake:3.8|by mistake:2.4|galti se:3.2|ignore this:3.4|ignore that:3.2|please ignore:3.6|\
        wrong person:3.4|not for you:3.2|sorry wrong:3.6|test message:3.6|testing:2.2
        """),
    ]

    /// Intents whose cue flips meaning under negation ("I don't want to order").
    static let negatable: Set<Intent> = [.orderRequest, .bookingRequest, .scheduleCall, .orderCancellation, .feedback, .availabilityInquiry, .humanAgent]

    static let negators: Set<String> = ["not", "dont", "no", "never", "cant", "wont", "isnt", "havent", "hasnt", "nahi", "mat", "na", "nor", "neither", "without", "didnt", "wouldnt", "shouldnt", "arent", "werent", "wasnt", "nobody", "nothing"]

    static let hedges: Set<String> = ["maybe", "might", "perhaps", "thinking", "considering", "possibly", "probably", "later", "browsing", "someday", "sochunga", "soch", "dekhte", "shayad", "planning", "future", "eventually", "unsure", "wondering"]

    static let urgency: Set<String> = ["urgent", "urgently", "asap", "immediately", "today", "now", "jaldi", "abhi", "quickly", "fast", "tonight", "emergency", "right", "turant", "tomorrow"]
}
