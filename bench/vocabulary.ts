/*
 * A deterministic vocabulary for the benchmark dataset: real English,
 * Turkish and Arabic news words first (the frequent end of a Zipf curve),
 * then generated pseudo-words in each script for the long tail of rare words.
 */

export function rng(seed: number): () => number {
  // mulberry32: small, fast and deterministic.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENGLISH = `ceasefire gaza israel hamas violating violations aid humanitarian minister foreign talks peace
agreement hostages remains bodies border crossing rafah convoy trucks civilians killed strike strikes attack
attacks army forces troops security council resolution united nations plan stabilisation force deployment
genocide war occupation settlement settlements west bank jerusalem refugees camp hospital school water food
fuel electricity reconstruction committee negotiations mediators egypt qatar talks summit meeting statement
president prime government parliament election elections sanctions economy inflation oil gas pipeline
drone drones missile missiles rocket rockets airstrike shelling siege famine hunger aid workers journalists
report reports investigation evidence accused denied denies rejected rejects condemned condemns supports
support recognition palestinian state statehood two solution borders withdrawal release prisoners exchange
weapons disarmament police protest protests arrested court ruling international law crimes inquiry`.split(/\s+/);

const TURKISH = `ateşkes gazze israil hamas ihlal insani yardım bakan dışişleri görüşme barış anlaşma rehine
sınır kapısı sivil saldırı ordu güvenlik konsey karar birleşmiş milletler plan istikrar gücü soykırım savaş
işgal yerleşim kudüs mülteci hastane okul su gıda yakıt elektrik yeniden inşa komite müzakere arabulucu
mısır katar zirve toplantı açıklama cumhurbaşkanı başbakan hükümet meclis seçim yaptırım ekonomi enflasyon
türkiye ankara istanbul filistin devlet tanınma çekilme serbest esir takas silah polis protesto mahkeme
uluslararası hukuk suç soruşturma rapor kanıt reddetti kınadı destekledi`.split(/\s+/);

const ARABIC = `وقف إطلاق النار غزة إسرائيل حماس انتهاك انتهاكات مساعدات إنسانية وزير الخارجية محادثات سلام
اتفاق رهائن جثث حدود معبر رفح قافلة شاحنات مدنيين قتلى غارة هجوم جيش قوات أمن مجلس قرار الأمم المتحدة
خطة قوة استقرار إبادة جماعية حرب احتلال مستوطنات الضفة الغربية القدس لاجئين مخيم مستشفى مدرسة مياه غذاء
وقود كهرباء إعمار لجنة مفاوضات وسطاء مصر قطر قمة اجتماع بيان رئيس حكومة برلمان انتخابات عقوبات اقتصاد
فلسطين دولة اعتراف انسحاب إفراج أسرى تبادل أسلحة شرطة احتجاج محكمة دولي قانون جرائم تحقيق تقرير أدلة`.split(/\s+/);

const LATIN_SYLLABLES = 'ka ri to mu se la ne vo zi pa dor ven tal mir sul bek han yil oz er'.split(' ');
const ARABIC_SYLLABLES = 'كا ري تو مو سي لا نا فو زي با دو ين تا مي سو به ها يل عز ار'.split(' ');

/** `size` words: the real ones first (frequent), then generated ones (rare). */
export function buildVocabulary(size: number, seed = 7): string[] {
  const random = rng(seed);
  const words: string[] = [];
  const seen = new Set<string>();
  const add = (w: string) => {
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  };
  // Interleave the languages so each has frequent words.
  const longest = Math.max(ENGLISH.length, TURKISH.length, ARABIC.length);
  for (let i = 0; i < longest; i += 1) for (const list of [ENGLISH, TURKISH, ARABIC]) if (list[i]) add(list[i]!);
  while (words.length < size) {
    const arabic = random() < 0.3;
    const syllables = arabic ? ARABIC_SYLLABLES : LATIN_SYLLABLES;
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i += 1) w += syllables[Math.floor(random() * syllables.length)];
    add(w);
  }
  return words.slice(0, size);
}

/** Draws ranks 0..n-1 with probability ∝ 1/(rank+1)^s, by binary search over the cumulative weights. */
export function zipf(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i += 1) {
    total += 1 / (i + 1) ** s;
    cdf[i] = total;
  }
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export const FIRST_NAMES = 'Hakan Ahmet Mehmet Ayşe Fatma Emine Mustafa Ali Hasan Hüseyin Ibrahim Omar Khalid Fatima Layla Nour Yusuf Mariam John Mary James Sarah David Emma Michael Anna Robert Laura Ishaq Bilal Zeynep Elif Murat Can'.split(' ');
export const LAST_NAMES = 'Fidan Yılmaz Kaya Demir Şahin Çelik Öztürk Aydın Arslan Doğan Al-Thani Haddad Khoury Mansour Nasser Saleh Abbas Dar Khan Smith Johnson Brown Taylor Wilson Evans Thomas Roberts Müller Schmidt Dubois Rossi García'.split(' ');
export const STATES = 'Türkiye|Turkey,Turkiye;Israel;Pakistan;Egypt;Qatar;Jordan;Saudi Arabia;United Arab Emirates|UAE;Indonesia;Iran;Iraq;Syria;Lebanon;United States|USA,US;United Kingdom|UK,Britain;France;Germany;Russia;China;India;Malaysia;Azerbaijan;Algeria;Morocco;Tunisia;Libya;Sudan;Yemen;Oman;Kuwait;Bahrain;Norway;Spain;Ireland;South Africa;Brazil;Canada;Japan'.split(';');
