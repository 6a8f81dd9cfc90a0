"""Arabic translations of the source app, keyed by English msgid.

Written for a non-technical reader on a café computer: short sentences, Modern Standard
Arabic, one word for "codename" throughout (الاسم الرمزي). `tools/update_catalogues.py`
merges this table into locales/ar/LC_MESSAGES/messages.po.
"""

BUSY = "الخدمة مزدحمة الآن. لم يُرسَل شيء ولم يضِع شيء. أعد المحاولة بعد"

AR: dict[str, str | tuple[str, ...]] = {
    "Secure tip line": "خط آمن لإرسال المعلومات",
    "Language": "اللغة",
    "Leave now: ends your session and opens a neutral page": "غادر الآن: ينهي جلستك ويفتح صفحة عادية",
    "Quick exit": "خروج سريع",
    "When you finish: log out, close the browser, and in Tor Browser choose New Identity.":
        "عند الانتهاء: سجّل الخروج وأغلق المتصفح، واختر في متصفح Tor «هوية جديدة» (New Identity).",
    "Busy right now": "الخدمة مزدحمة الآن",
    "Too many people are using this service at the moment. Nothing was sent or lost. Please try again in %(num)d minute.": (
        f"{BUSY} %(num)d دقيقة.",
        f"{BUSY} %(num)d دقيقة.",
        f"{BUSY} %(num)d دقيقتين.",
        f"{BUSY} %(num)d دقائق.",
        f"{BUSY} %(num)d دقيقة.",
        f"{BUSY} %(num)d دقيقة.",
    ),
    "Too large": "الحجم كبير جداً",
    "What you tried to send is over the limit of %(size)s. Nothing was stored. Send fewer or smaller files, or several times.":
        "ما حاولت إرساله يتجاوز الحد المسموح وهو %(size)s. لم يُحفظ شيء. أرسل ملفات أقل أو أصغر، أو أرسلها على عدة مرات.",
    "Nothing to send": "لا يوجد ما يُرسَل",
    "Write a message, answer part of the report or choose a file, then send again.":
        "اكتب رسالة، أو أجب عن جزء من التقرير، أو اختر ملفاً، ثم أرسل من جديد.",
    "Your session has ended": "انتهت جلستك",
    "For your safety, sessions end after a period without activity. Nothing you had already sent is lost. Log in again with your codename.":
        "حفاظاً على سلامتك، تنتهي الجلسة بعد فترة من عدم النشاط. لم يضِع شيء مما أرسلته. ادخل من جديد باسمك الرمزي.",
    "This form is out of date": "هذه الاستمارة قديمة",
    "The page was open too long or came from elsewhere, so nothing was accepted. Open the page again and resend.":
        "بقيت الصفحة مفتوحة وقتاً طويلاً أو جاءت من مكان آخر، فلم يُقبل شيء. افتح الصفحة من جديد وأعد الإرسال.",
    "Page not found": "الصفحة غير موجودة",
    "There is nothing at this address.": "لا يوجد شيء على هذا العنوان.",
    "Something went wrong": "حدث خطأ",
    "Nothing was stored from this attempt. Please try again later.":
        "لم يُحفظ شيء من هذه المحاولة. أعد المحاولة لاحقاً.",
    "That could not be accepted": "تعذّر قبول ذلك",
    "The form arrived damaged or incomplete, so nothing was stored. Please try again.":
        "وصلت الاستمارة تالفة أو ناقصة، فلم يُحفظ شيء. أعد المحاولة من فضلك.",
    "Go back": "رجوع",
    "Your codename is active. Remember it to come back later.":
        "اسمك الرمزي فعّال الآن. احفظه في ذاكرتك لتعود لاحقاً.",
    "Replies from our editors": "ردود المحررين",
    "Delete this reply": "احذف هذا الرد",
    "No replies yet. Our editors read every submission; come back in a few days.":
        "لا توجد ردود بعد. يقرأ المحررون كل ما يصلهم؛ عد بعد بضعة أيام.",
    "Send information": "أرسل معلومات",
    "Your message": "رسالتك",
    "Incident report (optional: answer what you can)": "تقرير عن حادثة (اختياري: أجب عمّا تستطيع)",
    "What happened?": "ماذا حدث؟",
    "Where? (town, district, landmark)": "أين؟ (المدينة أو البلدة، الحي، معلم قريب)",
    "When? (date and time, as exactly as you can)": "متى؟ (التاريخ والوقت، بأدق ما تستطيع)",
    "How many people were affected?": "كم عدد الأشخاص المتضررين؟",
    "How do you know?": "كيف عرفت؟",
    "I saw it myself": "رأيت ذلك بنفسي",
    "A witness told me": "أخبرني شاهد",
    "I heard it said": "سمعت الناس يتحدثون عنه",
    "Anything else we should know?": "هل هناك شيء آخر يجب أن نعرفه؟",
    "Files (photos, documents, audio)": "ملفات (صور، مستندات، تسجيلات صوتية)",
    "Up to %(size)s in total. Files are encrypted as they arrive.":
        "حتى %(size)s في المجموع. تُشفَّر الملفات لحظة وصولها.",
    "Send securely": "أرسل بأمان",
    "Log out": "تسجيل الخروج",
    "Send us information safely": "أرسل إلينا المعلومات بأمان",
    "Use this page to send our editors text, a short incident report and files. Everything is encrypted as it arrives, to keys that only our editors hold. We never ask for your name and this site does not record who you are.":
        "استخدم هذه الصفحة لترسل إلى محررينا نصاً وتقريراً قصيراً عن حادثة وملفات. "
        "يُشفَّر كل شيء لحظة وصوله بمفاتيح لا يملكها إلا محررونا. "
        "لا نطلب اسمك أبداً، ولا يسجّل هذا الموقع من أنت.",
    "First time: get a codename": "أول مرة؟ احصل على اسم رمزي",
    "I already have a codename": "لديّ اسم رمزي",
    "Before you start, especially on a shared or café computer":
        "قبل أن تبدأ، خاصة على حاسوب مشترك أو في مقهى إنترنت",
    'Use Tor Browser and set its security level to "Safest". This site works fully without JavaScript.':
        "استخدم متصفح Tor واضبط مستوى الأمان على «الأكثر أماناً» (Safest). يعمل هذا الموقع بالكامل دون JavaScript.",
    "Make sure nobody can see your screen, and that the computer has no unusual programs or devices attached.":
        "تأكد أن أحداً لا يرى شاشتك، وأنه لا توجد على الحاسوب برامج غريبة ولا أجهزة موصولة به.",
    "Do not write your codename down on or near the computer. Do not save it in the browser.":
        "لا تكتب اسمك الرمزي على الحاسوب ولا بقربه. ولا تحفظه في المتصفح.",
    "Remove names, faces and places from files if they could identify you. Photos can carry the location where they were taken.":
        "احذف الأسماء والوجوه والأماكن من الملفات إن كان يمكن أن تدل عليك. قد تحمل الصور مكان التقاطها.",
    "When you finish, log out, close the browser and choose New Identity. The Quick exit link at the top ends your session at once.":
        "عند الانتهاء سجّل الخروج وأغلق المتصفح واختر «هوية جديدة». رابط «خروج سريع» في أعلى الصفحة ينهي جلستك فوراً.",
    "Log in with your codename": "ادخل باسمك الرمزي",
    "That codename was not recognised. Check the words and try again.":
        "لم نتعرف على هذا الاسم الرمزي. تحقق من الكلمات وأعد المحاولة.",
    "Codename": "الاسم الرمزي",
    "Spaces, capital letters and Arabic letter forms do not matter.":
        "لا تهمّ المسافات ولا الأحرف الكبيرة ولا أشكال الحروف مثل الهمزات والتاء المربوطة.",
    "Log in": "دخول",
    "I do not have a codename yet": "ليس لديّ اسم رمزي بعد",
    "Your codename": "اسمك الرمزي",
    "This is your codename. It is shown only once. Memorise it: with it you can come back, send more and read our replies. Without it, nobody, not even us, can connect you to what you sent.":
        "هذا اسمك الرمزي، ويظهر مرة واحدة فقط. احفظه في ذاكرتك: به تستطيع العودة وإرسال المزيد وقراءة ردودنا. "
        "ومن دونه لا يستطيع أحد، ولا نحن، أن يربطك بما أرسلت.",
    "Words from the list:": "كلمات من قائمة:",
    "(choosing another list gives a new codename)": "(اختيار قائمة أخرى يعطيك اسماً رمزياً جديداً)",
    "Say it to yourself a few times. Check you can repeat it without looking.":
        "ردّده في نفسك عدة مرات. وتأكد أنك تستطيع تكراره دون أن تنظر إليه.",
    "Never type it anywhere except this site, and never save it in the browser.":
        "لا تكتبه في أي مكان غير هذا الموقع، ولا تحفظه في المتصفح أبداً.",
    "I have memorised it: continue": "حفظته: متابعة",
    "Received and encrypted": "وصلنا وتم التشفير",
    "Thank you. What you sent was encrypted on arrival; only our editors can read it. Come back later with your codename to read their reply.":
        "شكراً لك. شُفِّر ما أرسلته لحظة وصوله، ولا يستطيع قراءته إلا محررونا. عد لاحقاً باسمك الرمزي لتقرأ ردّهم.",
    "Send something else": "أرسل شيئاً آخر",
    "Your session had ended, but what you sent was received and encrypted. Log in with your codename to attach it to you, so you can read our editors' reply. If you do not, our editors still receive it but cannot reply.":
        "كانت جلستك قد انتهت، لكن ما أرسلته وصلنا وشُفِّر. سجّل الدخول باسمك الرمزي لنربطه بك، فتستطيع قراءة ردّ محررينا. إن لم تفعل، يصل إلى محررينا لكنهم لا يستطيعون الردّ عليك.",
    "What you sent after your session ended is now attached to your codename.":
        "ما أرسلته بعد انتهاء جلستك صار مرتبطاً باسمك الرمزي.",
}
