"""Write the labelled embeds benchmark set, deterministically: ``bench/embeds_labelled.jsonl``.

Every article, post, caption and credit here is invented for this benchmark (no real
article is copied); names and handles are made up.  The styles imitate what scraped news
carries: tweets, Instagram / Facebook / YouTube embed text, photo captions and credits,
contributor lines, syndication notes, "Read more" teasers, share / follow / newsletter
prompts, advertisement markers and site furniture, on their own paragraph or glued to prose.

One JSON object per line (one document)::

    {"id": "d0001", "style": "...", "paragraphs": [
        {"label": "content", "text": "...", "tricky": false},
        {"label": "residue", "category": "tweet", "text": "...", "style": "tweet_pic"},
        {"label": "glued", "category": "caption", "text": "<keep> <remove>",
         "keep": "<the prose that must stay>", "remove": "<the residue that must go>", "style": "..."}]}

``content`` paragraphs must come out unchanged, ``residue`` paragraphs must go entirely,
``glued`` paragraphs must come out as exactly ``keep``.  ``tricky`` marks content written to
look like residue (prose about tweets, photos, "read more", quotes an embed repeats ...).

Run: ``.venv/bin/python bench/embeds_corpus.py`` (same output every time).
"""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

OUT = Path(__file__).with_name("embeds_labelled.jsonl")
SEED = 20240607

# --------------------------------------------------------------------------------------
# Content: invented news prose, ten stories
# --------------------------------------------------------------------------------------

STORIES: dict[str, list[str]] = {
    "summit": [
        "MOSCOW (Wire) — The leaders of Russia and France met for more than five hours in the Kremlin on Monday, their first face-to-face meeting since tensions over Ukraine began to rise in the autumn.",
        "Both men described the talks as frank. Neither side announced a breakthrough, but officials said working groups would meet again in Berlin before the end of the month.",
        "The French president arrived in Moscow late on Sunday and went straight into a briefing with his advisers at the embassy, according to a member of the delegation.",
        "“We have found points of convergence, and that is not nothing,” the French leader told reporters at a joint news conference that ran well past midnight.",
        "His host was more guarded. Several of the proposals put forward by Paris could, he said, “form the basis of further joint steps”, but he declined to say which ones.",
        "Diplomats in Brussels were cautious about reading too much into the warm words. One senior official said the real test would come when troops began to move away from the border.",
        "Markets in Moscow rose on the news, with the rouble gaining 1.4% against the dollar by the close of trading on Tuesday.",
        "The French president is due in Kyiv on Tuesday, where he will meet Ukraine's president before returning to Paris via Berlin.",
        "Analysts noted that the seating arrangement, with the two leaders at either end of a long white table, had drawn almost as much attention as the substance of the talks.",
        "The Kremlin said the two presidents had agreed to speak by telephone once the French leader had completed his visit to Kyiv.",
        "Asked whether he trusted the guarantees he had been given, the French president said trust was “built over time, through acts and not words”.",
        "Russia has repeatedly denied that it plans to invade its neighbour, while insisting that Nato must stop expanding eastwards.",
    ],
    "floods": [
        "Heavy rain caused the River Arlen to burst its banks on Thursday night, flooding more than 300 homes in the market town of Kessling and cutting off two villages.",
        "Emergency services rescued 41 people from cars and houses overnight, the regional fire brigade said, and a school gymnasium was turned into a temporary shelter.",
        "“The water came up through the floor in about twenty minutes. We had time to grab the dog and the passports, and that was it,” said Irena Volk, 62, a retired teacher.",
        "The weather service had issued an amber warning on Wednesday but upgraded it to red only hours before the river peaked, prompting criticism from local councillors.",
        "Rail services between Kessling and the regional capital were suspended after a section of embankment collapsed near the village of Dorn.",
        "The interior minister visited the town on Friday morning and promised an emergency fund of €20m for households and small businesses.",
        "Insurers said it was too early to estimate the cost of the damage, but one broker put the figure at “several hundred million euros” across the region.",
        "Scientists have warned for years that the valley's flood defences, most of them built in the 1970s, were not designed for the intensity of rain now being recorded.",
        "By Saturday the water had started to recede, leaving a thick layer of mud in streets and gardens. Volunteers from neighbouring towns arrived with shovels and pumps.",
        "The town's mayor said it could take months before the main bridge reopened to traffic.",
        "A 78-year-old man who had been reported missing was found safe at a relative's house on Friday afternoon, police said.",
    ],
    "football": [
        "Rivermouth United reached the cup semi-finals for the first time in 23 years after a 2-1 win over Castleford Athletic on a freezing night at Kingsway Park.",
        "The visitors went ahead after 11 minutes when Dario Pellegrini headed in a corner at the near post, and they should have doubled their lead before half-time.",
        "United's manager, Hannah Oduya, made two changes at the break, and the switch to a back three transformed the game.",
        "Tom Asante equalised on 58 minutes with a low shot from the edge of the area, and substitute Kofi Mensah won it with nine minutes left, sliding in at the far post.",
        "“I told them at half-time that we were playing with fear. The second half was the team I know,” Oduya said afterwards.",
        "Castleford's goalkeeper, Marek Zielinski, was taken off on a stretcher in stoppage time after a collision with his own defender. The club said he was conscious and talking.",
        "A crowd of 18,412, the biggest at Kingsway Park this season, stayed long after the final whistle to sing with the players.",
        "United will face either Northbridge or Felsham City in the semi-final, with the draw due to take place on Sunday.",
        "The win is worth about £1.2m in prize money and television fees to a club that was in administration four years ago.",
        "Castleford have now lost four games in a row in all competitions, and their manager admitted that the pressure on him was growing.",
        "Kick-off had been delayed by 15 minutes because of crowd congestion outside the ground, the match commissioner confirmed.",
    ],
    "rates": [
        "The central bank raised its main interest rate by half a percentage point to 3.75% on Thursday, the largest single increase since 2008, as it tried to bring inflation under control.",
        "Six of the nine members of the monetary policy committee voted for the increase; two wanted a smaller rise and one voted to keep rates on hold.",
        "Inflation reached 8.7% in the year to March, more than four times the bank's target, driven by food and energy prices.",
        "The governor said the bank was “not yet confident” that inflation had peaked and that further increases could not be ruled out.",
        "Mortgage lenders began raising their fixed-rate deals within hours of the announcement. The average two-year fix now costs 5.2%, up from 2.3% a year ago.",
        "Economists at two large banks had expected a quarter-point rise, and the pound jumped almost a cent against the dollar after the decision.",
        "Business groups warned that higher borrowing costs would hit investment at a time when many firms were already struggling with energy bills.",
        "The finance minister backed the decision, saying the government and the bank were “working in the same direction”.",
        "Savers welcomed the move, though consumer groups pointed out that most easy-access accounts still pay well below the rate of inflation.",
        "The next rate decision is due on 22 June, and markets are now pricing in at least one more increase this year.",
    ],
    "tech": [
        "Halvorsen Semiconductors will build a €4bn chip factory on the outskirts of Aalburg, creating about 1,800 jobs, the company announced on Wednesday.",
        "Construction is due to start next spring, with the first wafers expected to roll off the line in 2027.",
        "The plant will make chips for cars and industrial machines rather than the most advanced processors used in phones and data centres.",
        "The government has agreed to contribute roughly a quarter of the cost under a programme designed to reduce Europe's dependence on Asian suppliers.",
        "“This is the largest single investment the region has seen in a generation,” the state premier said at a ceremony attended by several hundred guests.",
        "Environmental groups raised concerns about the factory's water use. The company said it would recycle more than 80% of the water it needs.",
        "Shares in Halvorsen rose 6% in Frankfurt, their biggest one-day gain in more than a year.",
        "The company's chief executive, Mette Lindgren, said demand for the type of chips the plant will produce was expected to double by the end of the decade.",
        "Local residents have been invited to a series of public meetings about the project, the first of which is scheduled for next Tuesday.",
        "Unions said they would push for the new jobs to be covered by the sector's collective agreement.",
    ],
    "festival": [
        "A quiet drama about two sisters running a bakery in a mountain village won the top prize at the Lake Orta film festival on Saturday night.",
        "The film, directed by first-time filmmaker Sofia Brandt, beat competition from several established directors, including two previous winners.",
        "Accepting the award, Brandt thanked her grandmother, “who taught me that bread and stories both need time”.",
        "The jury, chaired by the actor Paulo Neves, praised the film's “patience and warmth” and its non-professional cast.",
        "The best actor award went to Elias Kord for his role as a retired boxer in a dark comedy set in a seaside town.",
        "Attendance was up by almost a fifth on last year, the organisers said, with more than 90,000 tickets sold over ten days.",
        "The festival opened amid a row over ticket prices, which rose by up to 40% for evening screenings.",
        "Several screenings were interrupted on Thursday when a storm knocked out power to the open-air cinema on the lakeshore.",
        "The winning film has already been picked up by distributors in eight countries and is due to open in cinemas in the autumn.",
        "Next year's festival will run from 4 to 14 September, the director confirmed at the closing ceremony.",
    ],
    "election": [
        "Voters in Marlow Bay elect a new mayor on Sunday after a campaign dominated by housing costs, bus services and a dispute over the future of the old harbour.",
        "The incumbent, Gareth Ames, is seeking a third term. His main challenger, the independent councillor Priya Raman, has led in the last two polls.",
        "Raman has promised to freeze council rents for two years and to build 2,000 affordable homes on land owned by the city.",
        "Ames says his opponent's plans are uncosted. “You cannot promise everything to everyone and send the bill to the next generation,” he said at Wednesday's debate.",
        "Turnout in the last mayoral election was 34%. Campaigners hope it will be higher this time, helped by the extension of postal voting.",
        "Polling stations open at 7am and close at 10pm. Results are expected in the early hours of Monday.",
        "The harbour plan, which would replace the fish market with flats and a hotel, has split the city. More than 11,000 people signed a petition against it.",
        "Both leading candidates have said they would hold a public consultation before any final decision on the site.",
        "A third candidate, from the Green party, is polling at about 12% and could decide the outcome if the race goes to a second round.",
        "Election officials said on Friday that more than 40,000 postal ballots had already been returned.",
    ],
    "wildfire": [
        "Firefighters were battling a wildfire in the hills above Santa Lena for a third day on Wednesday as temperatures passed 41C and strong winds fanned the flames.",
        "About 2,400 residents were evacuated from four villages overnight. Regional authorities said no deaths had been reported.",
        "The fire has burned through about 6,000 hectares of pine forest and farmland since it broke out near a motorway service area on Monday afternoon.",
        "Eight water-bombing aircraft and more than 500 firefighters were deployed, including crews sent from two neighbouring regions.",
        "“The wind changes direction every hour. We get one front under control and another one opens behind us,” a fire service commander told local radio.",
        "Police arrested a 45-year-old man on suspicion of starting the fire by accident while using a grinder in a field, a spokeswoman said.",
        "The national weather office extended its heat warning until Sunday and urged people to avoid outdoor work in the middle of the day.",
        "Hotels on the coast said some tourists had cut short their holidays, although most resorts were far from the fire zone.",
        "Ecologists said the area hit by the fire included one of the last breeding grounds of a rare species of eagle.",
        "It is the third major fire in the region this summer, after a dry spring that left vegetation parched.",
    ],
    "health": [
        "Junior doctors at hospitals across the country began a 72-hour strike on Monday in a dispute over pay and working hours.",
        "Hospitals postponed thousands of routine operations and appointments, while emergency care was covered by senior staff.",
        "The doctors' union says pay for junior doctors has fallen by more than a quarter in real terms since 2010.",
        "The health minister called the strike “deeply disappointing” and said the government's offer of a 5% rise was fair and final.",
        "“Nobody goes into medicine to stand on a picket line. We are here because we can't keep working like this,” said a 29-year-old doctor outside the city's general hospital.",
        "Patients were asked to attend appointments unless they had been contacted, and to use emergency departments only for serious illness.",
        "A poll published on Sunday found that 56% of the public supported the strike, down from 63% in the spring.",
        "Talks between the union and the ministry broke down last week after less than an hour.",
        "Hospital managers said the impact of the walkout would be felt for weeks, with waiting lists already at record levels.",
        "The union has said it will announce further dates if no new offer is made by the end of the month.",
    ],
    "space": [
        "A small rocket built by a start-up from Tromsvik reached orbit on its second attempt on Tuesday, carrying three weather satellites for a university consortium.",
        "The launch from the island spaceport took place shortly after dawn, after a two-day delay caused by high winds.",
        "The company's first attempt ended in failure last year when the second stage shut down early, sending the rocket into the sea.",
        "“Eight and a half minutes of silence in the control room, and then everyone was crying,” said the company's co-founder, Ingrid Solheim.",
        "The satellites, each the size of a shoebox, will measure humidity and temperature in the upper atmosphere to improve weather forecasts in the Arctic.",
        "The company plans to launch up to six rockets next year and is in talks with two European defence ministries about future missions.",
        "The space agency congratulated the team, calling the launch “a milestone for European access to space”.",
        "Local fishermen, who must keep out of a safety zone during launches, have asked for compensation for lost days at sea.",
        "The rocket's engines run on a mixture of liquid oxygen and bio-propane, which the company says cuts emissions by about 90% compared with conventional fuel.",
        "The next launch is scheduled for the autumn, weather permitting.",
    ],
}

# Content written to look like residue. Each must stay untouched.
TRICKY: list[str] = [
    # social media reported in prose
    "Obama wrote on Twitter that the agreement was “a step in the right direction”, and urged both sides to keep talking.",
    "In a tweet posted shortly after midnight, the French president said the talks had been “substantive” and that he would travel to Kyiv in the morning.",
    "The hashtag #LongTable was trending in France within an hour of the press conference, with thousands of users sharing memes of the seating arrangement.",
    "A post shared by the mayor on Instagram on Friday showed flooded streets in the old town, with cars submerged up to their windows.",
    "The video, first posted on YouTube by a local news channel, has been viewed more than two million times.",
    "Posted by a resident on Facebook on Thursday evening, the photograph of the collapsed embankment was shared more than 40,000 times before the railway company confirmed the damage.",
    "She shared a photo of the team bus on Instagram with the caption “Ready”, hours before kick-off.",
    "Twitter and Facebook removed dozens of accounts linked to the campaign on Wednesday, the companies said in separate statements.",
    "The ministry said in a statement posted on its Facebook page that the water supply would be restored by the weekend.",
    "The prime minister's office posted a video of the meeting on YouTube, showing the two leaders shaking hands in front of the cameras.",
    "Her tweet — “The table says it all” — was shared more than 40,000 times by Tuesday morning.",
    "He posted on Instagram: “Great evening with the team. We go again on Sunday.”",
    "The striker, who has 2.3 million followers on Instagram, apologised in a video message on Tuesday.",
    "The account @Kessling_Fire, run by the town's volunteer brigade, posted updates every hour throughout the night.",
    "Critics of the plan — among them the economist Marta Kowalski (@mkowalski_econ) — called it unaffordable.",
    "Raman, whose campaign has relied heavily on TikTok and Instagram, said she had answered more than 3,000 questions from voters online.",
    "Officials said the clip circulating on social media, which claimed to show the fire reaching the motorway, had been filmed two years ago.",
    "The union's leader said on Twitter on February 7, 2022 that the offer was “an insult”, a phrase that was later repeated on picket lines.",
    "Within minutes, the club had deleted a tweet that appeared to mock its opponents, and later issued an apology.",
    "A spokeswoman for the company said it had not authorised the post, which appeared on the account of a regional manager.",
    "Thousands of people followed the launch on a live stream on YouTube, where the countdown was briefly interrupted by a technical fault.",
    "The embassy's Facebook page, which normally posts visa information, carried a long statement on the talks in both languages.",
    "“Great talks today,” the president wrote on Twitter, adding a photograph of the two delegations.",
    # quotes that an embed repeats (the same quote appears in a tweet residue elsewhere)
    "“There will be no winners,” the Russian president said, repeating a warning he had made several times in recent weeks.",
    "“The next few days will be decisive,” the French leader said as he left the Kremlin.",
    "“I told them at half-time that we were playing with fear,” Oduya said, adding that she was proud of the reaction.",
    "“Eight and a half minutes of silence in the control room,” Solheim recalled on Wednesday.",
    # caption-like prose
    "The photograph, taken by a Wire photographer from the back of the room, shows the two leaders at opposite ends of a six-metre table.",
    "Photos released by the Kremlin show the two presidents shaking hands before the talks, without masks.",
    "In the picture, the president is seen gesturing towards his guest while an interpreter takes notes.",
    "The French president speaks fluent English and answered several questions without waiting for the interpreter.",
    "Protesters gather outside the embassy every Sunday, police say, though numbers have fallen in recent weeks.",
    "Residents walk through flooded streets in Kessling on Friday morning, carrying what they could save. Many said they had no insurance.",
    "The host (right) and his guest (left) sat at opposite ends of a white table, a seating arrangement that quickly became a meme.",
    "Getty Images and Reuters both distributed the photograph within minutes, and it appeared on the front pages of most European newspapers the next morning.",
    "Image rights have become a sensitive subject for the festival, which sold exclusive photography access to a single agency this year.",
    "Photo opportunities were limited: journalists were kept behind a rope at the far end of the hall.",
    "Reporters from the Wire, Reuters and AFP were among the few foreign journalists allowed into the hall.",
    "Reuters/Ipsos polling published on Tuesday shows that 54% of voters support the strike.",
    "The Associated Press reported that the talks lasted more than five hours, longer than scheduled.",
    "AP reporters in Kessling saw long queues outside the town hall, where residents were registering for emergency payments.",
    "AFP, citing a source close to the delegation, reported that the two men had spoken alone for almost an hour.",
    "The talks ran late into the night, a Wire reporter in Moscow said.",
    # credits / contributors that are prose
    "Volunteers from 12 villages contributed to this report, which was compiled by the regional ombudsman and published on Friday.",
    "More than 40 countries contributed to this year's relief effort, the UN said.",
    "Reporting by local media suggested that the convoy had turned back before reaching the border.",
    "Additional reporting from the region is expected once the border crossings reopen, the broadcaster said.",
    "With assistance from the UN, the evacuation of the villages began on Tuesday morning.",
    "Editing the constitution was not on the agenda, the spokesman said.",
    "Sources close to the delegation said the talks had been tense at times.",
    "Source data from the weather service show that 140mm of rain fell in 24 hours, a record for February.",
    "Written in 1997, the treaty set out the rules for military exercises near the border.",
    # syndication / update-like prose
    "The report was republished from a Kremlin transcript by several state news agencies within the hour.",
    "This article of the treaty has been cited by both sides in the dispute over troop movements.",
    "The film was adapted from a novel by the director's grandmother, first published in 1968.",
    "The newsletter, sent to subscribers on Tuesday, described the summit as a failure.",
    "Published in 1997, the treaty was intended to reduce the risk of accidental confrontation.",
    "Published figures show that the bank has missed its inflation target for 24 consecutive months.",
    "Updated figures from the ministry show 312 homes were flooded, not 300 as first reported.",
    # related / read more in prose
    "Related talks on energy supplies are scheduled for next week in Vienna.",
    "Read more carefully, the statement contains no new commitments, analysts said.",
    "More than 100,000 troops have been deployed near the border, according to Western estimates.",
    "More on the talks is expected on Tuesday, when the French president meets his Ukrainian counterpart.",
    "See also the section on energy, the document said, which sets out a timetable for the gas talks.",
    "Recommended by the committee, the measure passed by 312 votes to 40.",
    "Related to the dispute, the union has also asked for an inquiry into rota practices.",
    "Also read into the record was a letter from the families of the missing fishermen.",
    "Key points of the French proposal were not made public, but officials said they covered military exercises and arms control.",
    "Trending on Chinese social media platform Weibo on Tuesday was a hashtag about the long table.",
    # share / follow / newsletter in prose
    "Share prices in Moscow rose 3% after the meeting, led by energy companies.",
    "Follow-up talks are expected in Berlin later this month.",
    "Follow the money, the prosecutor told the jury in her closing speech.",
    "Like us, the French side wants de-escalation, the Kremlin spokesman said.",
    "Sign-up sheets for the volunteer programme were full within an hour, organisers said.",
    "Subscribers to the club's streaming service complained that the broadcast froze during the second half.",
    "Click-and-collect orders rose sharply during the heatwave, one supermarket chain said.",
    "Download speeds in the flooded area fell sharply after a telephone exchange was damaged.",
    "Join the queue, the officials told the journalists, most of whom had been waiting since dawn.",
    "Email messages seen by the newspaper show that the warning was sent to the council on Wednesday.",
    # ads in prose
    "Advertisement spending in the region fell by 12% last year, according to industry figures.",
    "The advertisement, which ran on state television for a week, was withdrawn on Tuesday after complaints.",
    "Sponsored by the foreign ministry, the conference drew 300 delegates from 40 countries.",
    "Sponsored content is growing faster than traditional advertising, a study by the university found.",
    "Ad revenue at the club's stadium has doubled since the new owners arrived.",
    # furniture-like prose
    "Story highlights of the season included a late winner against Porto and a first cup semi-final in 23 years.",
    "Listen to the fishermen, the mayor said, and you will hear that the launches cost them money.",
    "Breaking news is not what the Kremlin wanted, the spokesman joked at the end of the briefing.",
    "Summary executions were reported in the region, the UN said in its report.",
    "Comments by the French foreign minister on Tuesday suggested a less optimistic view.",
    "Updated at dawn, the fire service's map showed three active fronts.",
    "Skip the queue tickets for the evening screenings sold out within minutes.",
    # dates, handles, dashes, links in prose
    "Speaking on Monday, February 7, 2022, the French president said Europe needed “a new security order”.",
    "The full transcript of the press conference is available on the Kremlin's website, kremlin.ru.",
    "The launch window opens at 06:42 — weather permitting — and closes 20 minutes later.",
    "Supporters chanted the striker's name — Mensah, Mensah — long after the final whistle.",
    "The agreement was signed in Minsk in February 2015 — and has never been fully implemented.",
    # datelines and agency names at the start
    "PARIS, Feb 8 (Wire) - The French president said on Tuesday that he had obtained assurances that Russia would not escalate the crisis.",
    "BERLIN (AP) — Germany's chancellor said he would travel to Moscow next week.",
    "KESSLING, March 3 (Reuters) — Floodwaters began to recede on Saturday, leaving streets covered in mud.",
    # short, headline-like content (subheadings)
    "What happens next",
    "A long table and a longer night",
    "Why the harbour matters",
    # quotes and first-person inside quotes
    "“I love this club and I love these fans. Tonight was for them!” Mensah said after the match.",
    "“We will build it here, we will build it fast, and we will build it together,” Lindgren told the crowd.",
    "“Our town is under water. Please help us,” read a handwritten sign on the door of the town hall.",
]

# --------------------------------------------------------------------------------------
# Residue generators
# --------------------------------------------------------------------------------------

FIRST = [
    "Maria",
    "Jonas",
    "Élodie",
    "Ana",
    "Tomasz",
    "Priya",
    "Kofi",
    "Hannah",
    "Lukas",
    "Sara",
    "Mehmet",
    "Yuki",
    "Daniel",
    "Chloé",
    "Olena",
    "Pavel",
    "Grace",
    "Ahmed",
    "Ines",
    "Ruben",
    "Zhao",
    "Li",
    "Nadia",
]
LAST = [
    "Lindqvist",
    "Varga",
    "Marchand",
    "Ruiz",
    "Wielki",
    "Natarajan",
    "Boateng",
    "Keller",
    "Horvat",
    "Okafor",
    "Demir",
    "Tanaka",
    "Moreau",
    "Kovalenko",
    "Novak",
    "Adeyemi",
    "Haddad",
    "Costa",
    "Vidal",
    "Ruinan",
    "Wei",
    "Petrova",
]
ORG_ACCOUNTS = [
    ("Kremlin Monitor", "kremlin_mon"),
    ("NewsFlash Europe", "NewsFlashEU"),
    ("Baltic Watcher", "BalticWatch"),
    ("The Weather Desk", "wxdesk"),
    ("Rivermouth United", "RivermouthUFC"),
    ("Marlow Bay Votes", "MarlowVotes"),
    ("Santa Lena Fire Service", "SantaLenaFire"),
    ("Tromsvik Space", "TromsvikSpace"),
    ("Europe Live", "EuropeLive24"),
    ("Lake Orta Film", "LakeOrtaFilm"),
    ("Wire Breaking", "WireBreaking"),
    ("Eurasia Notes 🌍", "EurasiaNotes"),
]
AGENCIES = [
    "AP",
    "AFP",
    "Reuters",
    "EPA",
    "Getty Images",
    "Xinhua",
    "Bloomberg",
    "EPA-EFE",
    "ANP",
    "dpa",
    "PA",
    "Shutterstock",
]
SITES = ["Daily Courier", "The Herald", "NewsNow", "Business Line", "Metro Times", "The Wire Today"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)

    # -- small pieces ------------------------------------------------------------------
    def choice(self, xs):
        return self.r.choice(xs)

    def person(self) -> str:
        return f"{self.choice(FIRST)} {self.choice(LAST)}"

    def handle_of(self, name: str) -> str:
        base = "".join(ch for ch in name.lower() if ch.isascii() and (ch.isalnum() or ch == " "))
        parts = base.split()
        style = self.r.randrange(4)
        if style == 0:
            h = parts[0][0] + parts[-1]
        elif style == 1:
            h = "".join(parts)
        elif style == 2:
            h = parts[0] + "_" + parts[-1]
        else:
            h = parts[-1] + str(self.r.randrange(1, 99))
        return h[:15]

    def account(self) -> tuple[str, str]:
        if self.r.random() < 0.4:
            return self.choice(ORG_ACCOUNTS)
        name = self.person()
        if self.r.random() < 0.15:
            name += " " + self.choice(["🇫🇷", "🇺🇦", "☦️", "⚽", "🔥", "✨"])
        return name, self.handle_of(name)

    def date(self, style: str | None = None) -> str:
        m = self.r.randrange(12)
        d = self.r.randrange(1, 29)
        y = self.choice([2019, 2020, 2021, 2022, 2022, 2022, 2023])
        style = style or self.choice(["us", "us", "us", "abbr", "abbrdot", "uk"])
        if style == "us":
            return f"{MONTHS[m]} {d}, {y}"
        if style == "abbr":
            return f"{MONTHS[m][:3]} {d}, {y}"
        if style == "abbrdot":
            mm = MONTHS[m][:3] if m != 4 else "May"
            return f"{mm}{'.' if mm != 'May' else ''} {d}, {y}"
        return f"{d} {MONTHS[m]} {y}"

    def code(self, n: int = 10) -> str:
        return "".join(self.r.choice(string.ascii_letters + string.digits) for _ in range(n))

    def dash(self) -> str:
        return self.choice(["—", "—", "—", "–", "-", "--"])

    def headline(self) -> str:
        return self.choice(
            [
                "French president heads to Kyiv after Kremlin talks",
                "What the long table tells us about Kremlin diplomacy",
                "Floods: how to claim emergency payments",
                "Rivermouth's cup run explained in five numbers",
                "Central bank signals more rate rises to come",
                "Why Europe wants its own chip factories",
                "Lake Orta festival: the films to watch",
                "Marlow Bay mayoral race: the candidates",
                "Heatwave: what you need to know about the fire risk",
                "Junior doctors' strike: your questions answered",
                "Start-up reaches orbit at second attempt",
                "Ukraine crisis: a timeline of the standoff",
                "Opinion: the summit was a missed opportunity",
                "Will the harbour plan survive the election?",
                "Live updates: latest on the Ukraine crisis",
                "Five things we learned from the press conference",
            ]
        )

    # -- tweets ------------------------------------------------------------------------
    TWEET_TEXTS = [
        "Productive talks with @ElyseePresident today on European security. We agreed to stay in close contact 🇫🇷🇷🇺",
        "BREAKING: Five hours of talks in Moscow end without a joint statement #Ukraine #Russia",
        "The table. That's the tweet.",
        "Long table diplomacy is back 😂",
        "Kick-off moved to 20:00 due to heavy snow. Stay safe on the roads everyone ❄️",
        "Huge crowd outside Kingsway Park tonight!! Come on you Reds 🔴",
        "President #Putin after talks with Macron: “There will be no winners” #Nato #Ukraine",
        'French President after the talks: "The next few days will be decisive."',
        "JUST IN: Central bank raises rates by 50bp to 3.75%, biggest move since 2008",
        "Water still rising on the main street in #Kessling. Please stay away from the river banks.",
        "Thread 🧵 on what was actually agreed in Moscow tonight (1/7)",
        "I have been covering Kremlin summits for 15 years and I have never seen a table like this",
        "We did it!!! Orbit confirmed. Thank you to everyone who believed in us 🚀",
        "Markets rally as the rouble strengthens on hopes of de-escalation",
        "Lift-off! 🚀",
        "Our crews are working through the night. Please follow evacuation orders and keep the roads clear.",
        "Polls are now closed. Thank you to every volunteer who knocked on doors 💚",
        "Ten years on the picket line would be better than another ten years of this. #JuniorDoctors",
        "What a night. What a team. Semi-finals here we come!",
        "Smoke visible from the coast road this evening. Stay safe everyone",
        "Winners announced! Congratulations to Sofia Brandt and the whole team 🎬",
        "Kremlin footage shows the two leaders greeting each other before talks",
        "Not a great look for the governor tbh",
        "Full press conference here, worth watching to the end 👇",
        "“I told them at half-time that we were playing with fear” — Oduya after the win",
        "Macron lands in Kyiv",
        "Rain radar for the next six hours. The worst is yet to come for the Arlen valley",
        "Can confirm the fire has crossed the motorway near exit 14.",
    ]

    def tweet_text(self) -> str:
        return self.choice(self.TWEET_TEXTS)

    def tweet_link(self) -> str:
        return self.choice(
            [
                f"pic.twitter.com/{self.code()}",
                f"pic.twitter.com/{self.code()}",
                f"https://t.co/{self.code()}",
                f"pic.x.com/{self.code()}",
            ]
        )

    def tweet_sig(self) -> str:
        name, handle = self.account()
        date = self.date()
        if self.r.random() < 0.1:
            date = f"{self.r.randrange(1, 12)}:{self.r.randrange(60):02d} PM · {self.date('abbr')}"
        return f"{self.dash()} {name} (@{handle}) {date}"

    def tweet(self) -> tuple[str, str]:
        """A whole tweet embed as one paragraph: (text, style)."""
        k = self.r.random()
        text = self.tweet_text()
        if k < 0.55:
            return f"{text} {self.tweet_link()} {self.tweet_sig()}", "tweet_link_sig"
        if k < 0.75:
            return f"{text} {self.tweet_sig()}", "tweet_sig"
        if k < 0.85:
            return f"{text} {self.tweet_link()} {self.tweet_link()} {self.tweet_sig()}", "tweet_two_links"
        return f"{text} https://t.co/{self.code()} {self.tweet_sig()}", "tweet_tco"

    def tweet_wrapper(self) -> tuple[str, str]:
        name, handle = self.account()
        return self.choice(
            [
                (f"Skip Twitter post by @{handle}", "bbc_skip"),
                (f"End of Twitter post by @{handle}", "bbc_end"),
                ("Allow Twitter content?", "consent"),
                (
                    "This article contains content provided by Twitter. We ask for your permission before anything is loaded, "
                    "as they may be using cookies and other technologies. You may want to read Twitter’s cookie policy and privacy "
                    "policy before accepting. To view this content choose ‘accept and continue’.",
                    "consent_long",
                ),
                (
                    "This content is imported from Twitter. You may be able to find the same content in another format, or you "
                    "may be able to find more information, at their web site.",
                    "imported",
                ),
                ("Twitter embed", "label"),
                ("Embedded Tweet", "label"),
                ("This tweet is unavailable", "label"),
                (f"pic.twitter.com/{self.code()}", "link_only"),
                (f"Tweet by @{handle}", "label"),
            ]
        )

    # -- instagram ---------------------------------------------------------------------
    IG_TEXTS = [
        "Golden hour over the lake ✨ #LakeOrta #filmfestival",
        "Matchday. 🔴⚪ #COYR",
        "Thank you Kessling for the warm welcome, even in the rain 💙",
        "First day in the new office! So proud of this team",
        "Behind the scenes at the press conference 📸",
        "Back home. Grateful for every one of you ❤️",
    ]

    def ig_time(self) -> str:
        return f"{self.r.randrange(1, 13)}:{self.r.randrange(60):02d}{self.choice(['am', 'pm'])} {self.choice(['PST', 'PDT', 'EST', 'CET', 'UTC', 'BST'])}"

    def instagram(self) -> tuple[str, str]:
        name, handle = self.account()
        handle = handle.lower().replace("_", ".") if self.r.random() < 0.3 else handle
        date = self.date(self.choice(["abbr", "us"]))
        k = self.r.randrange(9)
        if k == 0:
            return f"A post shared by {name} (@{handle}) on {date} at {self.ig_time()}", "ig_shared_time"
        if k == 1:
            return f"A post shared by {name} (@{handle}) on {date}", "ig_shared_date"
        if k == 2:
            return f"A post shared by {name} (@{handle})", "ig_shared"
        if k == 3:
            return f"A post shared by @{handle}", "ig_shared_handle"
        if k == 4:
            return "View this post on Instagram", "ig_view"
        if k == 5:
            return f"View this post on Instagram A post shared by {name} (@{handle})", "ig_view_shared"
        if k == 6:
            return (
                f"{self.choice(self.IG_TEXTS)} A post shared by {name} (@{handle}) on {date} at {self.ig_time()}",
                "ig_caption_shared",
            )
        if k == 7:
            return self.choice(
                [
                    (
                        "This content is imported from Instagram. You may be able to find the same content in another format, or you "
                        "may be able to find more information, at their web site.",
                        "ig_imported",
                    ),
                    (f"Skip Instagram post by {handle}", "ig_skip"),
                    (f"End of Instagram post by {handle}", "ig_end"),
                ]
            )
        return self.choice(
            [
                ("View more on Instagram", "ig_more"),
                ("See this post on Instagram", "ig_see"),
                (f"Instagram post by {name}", "ig_label"),
            ]
        )

    # -- facebook ----------------------------------------------------------------------
    FB_TEXTS = [
        "Road closures tonight: the bridge on Station Road will stay closed until further notice.",
        "Thank you to all our volunteers who came out today. We could not do this without you!",
        "Tickets for Sunday's match are now sold out. Please do not travel without a ticket.",
        "Our offices will be closed on Monday. Emergency numbers remain open.",
    ]

    def facebook(self) -> tuple[str, str]:
        name, _ = self.account()
        d = f"{self.choice(DAYS)}, {self.date('us')}"
        k = self.r.randrange(6)
        if k == 0:
            return f"Posted by {name} on {d}", "fb_posted"
        if k == 1:
            return f"{self.choice(self.FB_TEXTS)} Posted by {name} on {d}", "fb_text_posted"
        if k == 2:
            return self.choice(
                [("View on Facebook", "fb_view"), ("See more on Facebook", "fb_more"), ("Facebook post", "fb_label")]
            )
        if k == 3:
            return self.choice(
                [(f"Skip Facebook post by {name}", "fb_skip"), (f"End of Facebook post by {name}", "fb_end")]
            )
        if k == 4:
            return (
                "This content is imported from Facebook. You may be able to find the same content in another format, "
                "or you may be able to find more information, at their web site.",
                "fb_imported",
            )
        return f"Post by {name}.", "fb_post_by"

    # -- youtube -----------------------------------------------------------------------
    def youtube(self) -> tuple[str, str]:
        k = self.r.randrange(8)
        if k == 0:
            return "Watch on YouTube", "yt_watch"
        if k == 1:
            return self.choice(
                [
                    f"https://www.youtube.com/watch?v={self.code(11)}",
                    f"youtu.be/{self.code(11)}",
                    f"https://youtu.be/{self.code(11)}",
                ]
            ), "yt_url"
        if k == 2:
            return self.choice(
                [
                    "Skip YouTube post by Wire Video",
                    "End of YouTube post by Wire Video",
                    f"Skip YouTube post by {self.person()}",
                ]
            ), "yt_bbc"
        if k == 3:
            return (
                "This content is imported from YouTube. You may be able to find the same content in another format, or "
                "you may be able to find more information, at their web site.",
                "yt_imported",
            )
        if k == 4:
            return self.choice(
                [
                    "Watch the video below:",
                    "Watch the video below",
                    "WATCH: Fire crews battle flames near Santa Lena",
                    "WATCH | The moment the rocket reached orbit",
                    "Watch: Highlights of Rivermouth's win",
                ]
            ), "yt_watch_teaser"
        if k == 5:
            return self.choice(
                [
                    "Click to play video",
                    "Please enable JavaScript to view this video.",
                    "Video Ad Feedback",
                    "Your browser does not support the video tag.",
                ]
            ), "yt_player"
        if k == 6:
            return self.choice(
                ["Subscribe to our YouTube channel for more videos.", "Allow YouTube content?", "YouTube video player"]
            ), "yt_misc"
        return f"Video: {self.headline()} ({self.r.randrange(1, 5)}:{self.r.randrange(60):02d})", "yt_video_label"

    # -- captions ----------------------------------------------------------------------
    CAPTION_TEXTS = [
        "Emmanuel Macron speaks during a joint press conference with his Russian counterpart after their talks in Moscow",
        "The two presidents meet at the Kremlin in Moscow, Russia, on February 7, 2022",
        "Residents wade through floodwater in the centre of Kessling on Friday",
        "A firefighter tackles flames near the village of Santa Lena on Tuesday",
        "Kofi Mensah (C) celebrates scoring the winning goal with teammates",
        "Hannah Oduya gestures on the touchline during the second half",
        "The governor of the central bank attends a news conference in the capital",
        "Sofia Brandt poses with the award during the closing ceremony",
        "The rocket lifts off from the island spaceport shortly after dawn",
        "Junior doctors hold placards outside the general hospital on Monday",
        "Voters queue at a polling station in Marlow Bay",
        "Mette Lindgren, chief executive of Halvorsen Semiconductors, speaks at the groundbreaking ceremony",
        "Russian President (R) and French President (L) shake hands before their talks in Moscow",
        "File photo of the harbour in Marlow Bay",
        "An aerial view shows flooded fields near the village of Dorn",
        "Smoke rises over the hills above Santa Lena, as seen from the coast road",
    ]

    def caption(self) -> tuple[str, str]:
        t = self.choice(self.CAPTION_TEXTS)
        ag = self.choice(AGENCIES[:8])
        ph = self.person()
        k = self.r.randrange(14)
        if k == 0:
            return f"{t}. {ag}", "cap_bare_agency"
        if k == 1:
            return f"{t}. (AP Photo/{ph})", "cap_ap_photo"
        if k == 2:
            return f"{t}. REUTERS/{ph}", "cap_reuters_slash"
        if k == 3:
            return f"{t}. [Photo/{self.choice(['Agencies', 'Xinhua', 'IC', 'VCG'])}]", "cap_cd"
        if k == 4:
            return f"{t}. Photo: {self.choice(['AFP', 'Reuters', 'Getty Images', ph])}", "cap_photo_colon"
        if k == 5:
            return f"{t}. Photograph: {ph}/{self.choice(['AP', 'Reuters', 'AFP', 'Getty Images'])}", "cap_photograph"
        if k == 6:
            return f"{t}. {ph}/AFP via Getty Images", "cap_via_getty"
        if k == 7:
            return f"{t} (Photo by {ph}/Getty Images)", "cap_photo_by"
        if k == 8:
            return f"Image caption, {t}", "cap_bbc"
        if k == 9:
            return f"FILE PHOTO: {t}. REUTERS/{ph}/File Photo", "cap_file_photo"
        if k == 10:
            return f"{t}. (Xinhua/{ph})", "cap_xinhua"
        if k == 11:
            return f"{t}. Credit: {ph}/{self.choice(['Bloomberg', 'Reuters', 'EPA'])}", "cap_credit"
        if k == 12:
            return f"{t}. © {ph} / {self.choice(['AFP', 'Reuters', 'EPA'])}", "cap_copyright"
        return f"{t}. {ph}/{self.choice(['AP', 'Reuters', 'EPA-EFE', 'Bloomberg'])}", "cap_name_slash"

    def caption_misc(self) -> tuple[str, str]:
        return self.choice(
            [
                ("hide caption", "npr"),
                ("toggle caption", "npr"),
                (f"toggle caption {self.person()}/AP", "npr_credit"),
                ("Enlarge this image", "npr_enlarge"),
            ]
        )

    def credit_line(self) -> tuple[str, str]:
        ph = self.person()
        return self.choice(
            [
                (f"Image source, {self.choice(['Getty Images', 'Reuters', 'EPA', 'AFP'])}", "bbc_image_source"),
                (f"{ph}/AP", "bare_credit_line"),
                (f"REUTERS/{ph}", "bare_credit_line"),
                (f"{self.choice(AGENCIES)}", "bare_agency_line"),
            ]
        )

    # -- credits -----------------------------------------------------------------------
    def credit(self) -> tuple[str, str]:
        p1, p2, p3 = self.person(), self.person(), self.person()
        city = self.choice(["Moscow", "Paris", "Beijing", "Kyiv", "Berlin", "London", "Brussels", "Washington"])
        return self.choice(
            [
                (f"{p1} in {city} and agencies contributed to this story.", "contributed"),
                (f"{p1} in {city} contributed to this report.", "contributed"),
                ("The Associated Press contributed to this report.", "contributed"),
                (f"Wire's {p1} contributed to this report.", "contributed"),
                (f"{p1} and {p2} contributed reporting.", "contributed_reporting"),
                (f"Reporting by {p1} in {city}; Editing by {p2}", "reuters"),
                (
                    f"(Reporting by {p1}; Additional reporting by {p2} in {city}; Writing by {p3}; Editing by {self.person()})",
                    "reuters_paren",
                ),
                (f"Additional reporting by {p1}; Editing by {p2}", "reuters"),
                (f"Reporting by {p1} and {p2}; Editing by {p3}", "reuters"),
                (f"— With assistance from {p1} and {p2}.", "bloomberg"),
                (f"With assistance from {p1}", "bloomberg"),
                ("With inputs from agencies", "inputs"),
                ("(With inputs from PTI)", "inputs"),
                ("(With agency inputs)", "inputs"),
                (f"Source: {self.choice(['Xinhua', 'AFP', 'Reuters', 'Agencies', 'dpa'])}", "source"),
                ("(Photo: Getty Images)", "photo_paren"),
                (f"Photos: {self.choice(['Getty Images', 'AFP', self.person()])}", "photos"),
                (f"Photo credit: {p1}", "photo_credit"),
                (f"Cover image: {p1}/{self.choice(['Reuters', 'AFP'])}", "cover"),
                (f"Editing by {p1} and {p2}", "editing"),
                (f"Compiled by {p1}", "compiled"),
                (f"Written by {p1}; edited by {p2}", "written"),
                (f"Additional reporting by {p1} in {city}.", "reuters"),
                (f"— {self.choice(['AFP', 'Reuters', 'AP', 'Xinhua'])}", "agency_tag"),
                (f"({self.choice(['AFP', 'Reuters', 'AP'])})", "agency_tag"),
            ]
        )

    # -- other (syndication, copyright, disclaimers) -----------------------------------
    def other(self) -> tuple[str, str]:
        site = self.choice(SITES)
        return self.choice(
            [
                ("This article has been adapted from its original source.", "adapted"),
                (
                    "This article was originally published on The Conversation. Read the original article.",
                    "conversation",
                ),
                (
                    "This article is republished from The Conversation under a Creative Commons license. Read the original article.",
                    "conversation",
                ),
                (
                    f"(This story has not been edited by {site} staff and is auto-generated from a syndicated feed.)",
                    "syndicated",
                ),
                (
                    f"(Only the headline and picture of this report may have been reworked by the {site} staff; the rest of the content is auto-generated from a syndicated feed.)",
                    "syndicated",
                ),
                (f"This story was originally published by {site}.", "originally"),
                (f"This article first appeared on {site}.", "originally"),
                (f"A version of this article appeared in print on {self.date('us')}, in the {site}.", "print_version"),
                (f"Published in {site}, {self.choice(MONTHS)} {self.r.randrange(1, 28)}th, 2022", "published_in"),
                (
                    "Copyright 2022 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
                    "copyright",
                ),
                (f"© 2022 {site}. All rights reserved.", "copyright"),
                (f"Copyright © {site} 2022", "copyright"),
                ("Our Standards: The Thomson Reuters Trust Principles.", "standards"),
                (
                    "Disclaimer: The views expressed in this article are those of the author and do not necessarily reflect the views of this publication.",
                    "disclaimer",
                ),
                (
                    "This story has been published from a wire agency feed without modifications to the text.",
                    "syndicated",
                ),
                ("This article was translated from the original French.", "translated"),
                ("Reprinted with permission.", "reprinted"),
            ]
        )

    # -- related / read more -----------------------------------------------------------
    def related(self) -> tuple[str, str]:
        h = self.headline()
        return self.choice(
            [
                (f"Read more: {h}", "read_more"),
                (f"READ MORE: {h}", "read_more"),
                (f"Read More | {h}", "read_more"),
                ("Read more:", "read_more_bare"),
                (f"Related: {h}", "related"),
                (f"RELATED: {h}", "related"),
                ("Related Articles", "related_heading"),
                ("Related stories", "related_heading"),
                (f"Also read: {h}", "also_read"),
                (f"ALSO READ | {h}", "also_read"),
                (f"See also: {h}", "see_also"),
                (f"MORE: {h}", "more"),
                (f"Recommended: {h}", "recommended"),
                (f"Read next: {h}", "read_next"),
                ("You may also like", "heading"),
                (f"More from {self.choice(SITES)}", "heading"),
                ("Read the full story here.", "read_full"),
                ("Click here to read more.", "read_full"),
                (f"READ: {h}", "read"),
                (f"Also Read: {h}", "also_read"),
                ("Related Topics", "heading"),
                ("Most read", "heading"),
            ]
        )

    # -- share / follow / newsletter ---------------------------------------------------
    def share(self) -> tuple[str, str]:
        site = self.choice(SITES)
        name, handle = self.account()
        return self.choice(
            [
                ("Share this article", "share"),
                ("Share", "share"),
                ("Share on Facebook", "share"),
                ("Share on Twitter", "share"),
                ("Share via WhatsApp", "share"),
                ("Share this:", "share"),
                ("Facebook Twitter WhatsApp Email", "share_bar"),
                ("Facebook Twitter LinkedIn Email Print", "share_bar"),
                ("Click to share on Twitter (Opens in new window)", "wp_share"),
                ("Like this: Like Loading...", "wp_like"),
                ("Follow us on Twitter", "follow"),
                (f"Follow @{handle} on Twitter.", "follow"),
                (f"Follow {name} on Twitter: @{handle}", "follow"),
                ("Follow us on Facebook, Twitter and Instagram", "follow"),
                ("For the latest news and updates, follow us on Google News.", "follow"),
                ("Like us on Facebook", "follow"),
                ("Join our Telegram channel for the latest updates.", "follow"),
                ("Sign up for our newsletter", "newsletter"),
                (f"Subscribe to the {site} newsletter to get the day's top stories in your inbox.", "newsletter"),
                ("Get our free morning briefing delivered to your inbox. Sign up here.", "newsletter"),
                ("Sign up here.", "newsletter"),
                ("Click here to subscribe", "newsletter"),
                (f"Download the {site} app for the latest news.", "app"),
                ("Copy link", "share"),
                ("Email", "share"),
                ("Print", "share"),
                ("Already a subscriber? Log in", "paywall"),
                ("Enter your email address", "newsletter"),
            ]
        )

    # -- ads ---------------------------------------------------------------------------
    def ad(self) -> tuple[str, str]:
        return self.choice(
            [
                ("Advertisement", "ad"),
                ("ADVERTISEMENT", "ad"),
                ("Advertisement - Scroll to continue", "ad"),
                ("Story continues below advertisement", "ad"),
                ("Article continues below advertisement", "ad"),
                ("Continue reading the main story", "ad"),
                ("- Advertisement -", "ad"),
                ("Sponsored", "ad"),
                ("Ad", "ad"),
                ("Scroll to continue with content", "ad"),
                ("Content continues below", "ad"),
                ("Advertisement Advertisement", "ad"),
                ("Sponsored content", "ad"),
                ("Paid post", "ad"),
                ("Article continues after this ad", "ad"),
            ]
        )

    # -- site furniture ----------------------------------------------------------------
    def header(self) -> tuple[str, str]:
        return self.choice(
            [
                ("Story highlights", "furniture"),
                ("Key points:", "furniture"),
                ("Key points", "furniture"),
                ("Listen to this article", "furniture"),
                ("Listen to article", "furniture"),
                (f"{self.r.randrange(2, 12)} min read", "furniture"),
                ("Skip to content", "furniture"),
                (f"Updated: {self.date('abbr')} {self.r.randrange(1, 12)}:{self.r.randrange(60):02d} IST", "updated"),
                (f"Published: {self.r.randrange(1, 28):02d} {self.choice(MONTHS)} 2022", "updated"),
                (
                    f"Last updated on {self.date('us')} at {self.r.randrange(1, 12)}:{self.r.randrange(60):02d} am",
                    "updated",
                ),
                (
                    f"Updated {self.r.randrange(1, 12)}:{self.r.randrange(60):02d} GMT (18:15 HKT) {self.date('us')}",
                    "updated",
                ),
                ("Toggle navigation", "furniture"),
                ("Font size", "furniture"),
                ("Text size A A A", "furniture"),
                ("Print this page", "furniture"),
                ("Gift this article", "furniture"),
                ("Share full article", "furniture"),
                ("Highlights", "furniture"),
                (f"Tags: {self.choice(['Russia, France, Ukraine', 'Floods, Weather', 'Football, Cup'])}", "tags"),
                ("Comments (0)", "furniture"),
                ("Loading...", "furniture"),
                (f"Listen {self.r.randrange(2, 9)} min", "furniture"),
                ("Open in app", "furniture"),
                ("Save", "furniture"),
            ]
        )

    FAMILIES = {
        "tweet": "tweet",
        "tweet_wrapper": "tweet",
        "instagram": "instagram",
        "facebook": "facebook",
        "youtube": "youtube",
        "caption": "caption",
        "caption_misc": "caption",
        "credit": "credit",
        "credit_line": "credit",
        "other": "other",
        "related": "related",
        "share": "share",
        "ad": "ad",
        "header": "header",
    }
    WEIGHTS = {
        "tweet": 9,
        "tweet_wrapper": 4,
        "instagram": 6,
        "facebook": 5,
        "youtube": 6,
        "caption": 8,
        "caption_misc": 2,
        "credit": 8,
        "credit_line": 2,
        "other": 6,
        "related": 7,
        "share": 7,
        "ad": 5,
        "header": 6,
    }

    def residue(self) -> dict:
        fam = self.r.choices(list(self.WEIGHTS), weights=list(self.WEIGHTS.values()))[0]
        text, style = getattr(self, fam)()
        return {"label": "residue", "category": self.FAMILIES[fam], "text": text, "style": f"{fam}:{style}"}

    # -- glued -------------------------------------------------------------------------
    def glued(self, prose: str) -> dict:
        """Residue glued to a prose paragraph (the prose must survive)."""
        k = self.r.randrange(13)
        if k <= 2:  # tweet glued after prose
            t, style = self.tweet()
            return _glued(prose, t, "tweet", "tweet_after_prose:" + style)
        if k == 3:  # tweet glued before prose
            t, style = self.tweet()
            return _glued(prose, t, "tweet", "tweet_before_prose:" + style, before=True)
        if k == 4:  # caption glued at paragraph end
            t, style = self.caption()
            if style == "cap_bbc":
                t = t.replace("Image caption, ", "")
                t = t + ". " + self.choice(AGENCIES[:4])
                style = "cap_bare_agency"
            return _glued(prose, t, "caption", "caption_after_prose:" + style)
        if k == 5:  # inline photo credit at the end
            c = self.choice(
                [
                    "(Photo: Getty Images)",
                    "(Photo: AFP)",
                    f"(Photo: {self.person()}/Reuters)",
                    "(Image: Reuters)",
                    f"(Photo credit: {self.person()})",
                    "[Photo/Agencies]",
                    f"(AP Photo/{self.person()})",
                    "(Picture: PA)",
                ]
            )
            return _glued(prose, c, "credit", "inline_credit_end")
        if k == 6:  # read more glued at the end
            lead = self.choice(
                [
                    "Read more:",
                    "READ MORE:",
                    "Also read:",
                    "Related:",
                    "RELATED:",
                    "ALSO READ |",
                    "See also:",
                    "READ MORE |",
                ]
            )
            return _glued(prose, f"{lead} {self.headline()}", "related", "read_more_end")
        if k == 7:  # reuters credit glued at the end
            t = self.choice(
                [
                    f"(Reporting by {self.person()}; Editing by {self.person()})",
                    f"(Reporting by {self.person()} in Paris; Writing by {self.person()}; Editing by {self.person()})",
                    f"Reporting by {self.person()}; Editing by {self.person()}",
                    f"— With assistance from {self.person()}.",
                    "(With inputs from agencies)",
                    "(AFP)",
                ]
            )
            return _glued(prose, t, "credit", "credit_end")
        if k == 8:  # syndication note glued at the end
            t, style = self.choice(
                [
                    (
                        f"(This story has not been edited by {self.choice(SITES)} staff and is auto-generated from a syndicated feed.)",
                        "syndicated",
                    ),
                    ("This article has been adapted from its original source.", "adapted"),
                    (
                        "This article was originally published on The Conversation. Read the original article.",
                        "conversation",
                    ),
                ]
            )
            return _glued(prose, t, "other", "other_end:" + style)
        if k == 9:  # ad marker glued at end or start
            t = self.choice(
                [
                    "Advertisement",
                    "ADVERTISEMENT",
                    "Story continues below advertisement",
                    "Article continues below advertisement",
                ]
            )
            before = t in ("ADVERTISEMENT", "Advertisement") and self.r.random() < 0.5
            return _glued(prose, t, "ad", "ad_" + ("start" if before else "end"), before=before)
        if k == 10:  # instagram glued after prose
            name, handle = self.account()
            t = self.choice(
                [
                    f"View this post on Instagram A post shared by {name} (@{handle})",
                    f"{self.choice(self.IG_TEXTS)} A post shared by {name} (@{handle}) on {self.date('abbr')} at {self.ig_time()}",
                    f"A post shared by {name} (@{handle}) on {self.date('abbr')}",
                ]
            )
            return _glued(prose, t, "instagram", "instagram_after_prose")
        if k == 11:  # share prompt glued at end
            t = self.choice(
                [
                    "Follow us on Twitter",
                    "Share this article",
                    "Sign up for our newsletter",
                    "Click here to subscribe",
                    "Follow us on Facebook, Twitter and Instagram",
                ]
            )
            return _glued(prose, t, "share", "share_end")
        # facebook glued after prose
        name, _ = self.account()
        t = f"{self.choice(self.FB_TEXTS)} Posted by {name} on {self.choice(DAYS)}, {self.date('us')}"
        return _glued(prose, t, "facebook", "facebook_after_prose")


def _glued(prose: str, residue: str, category: str, style: str, before: bool = False) -> dict:
    text = f"{residue} {prose}" if before else f"{prose} {residue}"
    return {"label": "glued", "category": category, "text": text, "keep": prose, "remove": residue, "style": style}


def _content(text: str, tricky: bool) -> dict:
    return {"label": "content", "text": text, "tricky": tricky}


# --------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------


def build(seed: int = SEED, n_docs: int = 160) -> list[dict]:
    g = Gen(seed)
    r = g.r
    docs = []
    tricky_cycle = TRICKY * 4
    r.shuffle(tricky_cycle)
    ti = 0
    story_names = list(STORIES)
    for i in range(n_docs):
        story = story_names[i % len(story_names)]
        pool = STORIES[story][:]
        r.shuffle(pool)
        paras = [_content(p, False) for p in pool[: r.randint(6, len(pool))]]
        # tricky content: 1-3 per document
        for _ in range(r.randint(1, 3)):
            paras.insert(r.randrange(1, len(paras) + 1), _content(tricky_cycle[ti % len(tricky_cycle)], True))
            ti += 1
        # residue: 2-6 standalone paragraphs, 0-2 glued
        for _ in range(r.randint(2, 6)):
            paras.insert(r.randrange(1, len(paras) + 1), g.residue())
        for _ in range(r.choice([0, 1, 1, 2])):
            idx = [
                j for j, p in enumerate(paras) if p["label"] == "content" and not p["tricky"] and p["text"][-1] in '.”"'
            ]
            if idx:
                j = r.choice(idx)
                paras[j] = g.glued(paras[j]["text"])
        # a split tweet: text paragraph then the signature as its own paragraph
        if r.random() < 0.15:
            t = g.tweet_text()
            j = r.randrange(1, len(paras) + 1)
            paras[j:j] = [
                {"label": "residue", "category": "tweet", "text": f"{t} {g.tweet_link()}", "style": "tweet_split_text"},
                {"label": "residue", "category": "tweet", "text": g.tweet_sig(), "style": "tweet_split_sig"},
            ]
        # a "Related" heading followed by a bulleted list of headlines
        if r.random() < 0.08:
            j = r.randrange(1, len(paras) + 1)
            items = [
                {
                    "label": "residue",
                    "category": "related",
                    "text": f"{g.choice(['•', '-', '►'])} {g.headline()}",
                    "style": "related_list_item",
                }
                for _ in range(r.randint(2, 3))
            ]
            paras[j:j] = [
                {
                    "label": "residue",
                    "category": "related",
                    "text": g.choice(["Related stories:", "RELATED STORIES", "More on this story:"]),
                    "style": "related_list_head",
                }
            ] + items
        # trailing boilerplate at the end of the article, as scraped pages have
        for _ in range(r.choice([0, 1, 1, 2])):
            paras.append(g.residue())
        docs.append({"id": f"d{i + 1:04d}", "story": story, "paragraphs": paras})
    # documents that carry the same quote in prose and in an embed that repeats it
    for j, (quote_para, tweet_text) in enumerate(
        [
            (
                "“There will be no winners,” the Russian president said, repeating a warning he had made several times in recent weeks.",
                "President #Putin after talks: “There will be no winners” #Nato #Ukraine",
            ),
            (
                "“The next few days will be decisive,” the French leader said as he left the Kremlin.",
                'French President after the talks: "The next few days will be decisive."',
            ),
            (
                "“I told them at half-time that we were playing with fear,” Oduya said, adding that she was proud of the reaction.",
                "“I told them at half-time that we were playing with fear” — Oduya after the win",
            ),
        ]
    ):
        story = ["summit", "summit", "football"][j]
        paras = [_content(p, False) for p in STORIES[story][:5]]
        paras.insert(2, _content(quote_para, True))
        paras.insert(
            3,
            {
                "label": "residue",
                "category": "tweet",
                "text": f"{tweet_text} {g.tweet_link()} {g.tweet_sig()}",
                "style": "tweet_repeats_quote",
            },
        )
        docs.append({"id": f"q{j + 1:04d}", "story": story, "paragraphs": paras})
    return docs


# --------------------------------------------------------------------------------------
# "Fresh" set: written after the rules, by hand, in phrasings the templates above do not
# use (new stories, new residue wording).  It estimates how the rules do on unseen text;
# bench/bench_embeds.py reports it separately from the development set above.
# --------------------------------------------------------------------------------------

FRESH_STORIES: dict[str, list[str]] = {
    "port": [
        "Dock workers at the port of Velsen walked out on Tuesday morning, halting the loading of container ships for the first time in a decade.",
        "The union is demanding a 9% pay rise and limits on the use of automated cranes, which it says have cut 400 jobs since 2019.",
        "Port management described the strike as unlawful and said it would seek an injunction before the end of the week.",
        "Queues of lorries stretched for six kilometres along the coast road by the afternoon, and police closed one lane to let emergency vehicles through.",
        "“Nobody here wants to stop the port. But nobody here wants to be replaced by a machine either,” said Tomas Brink, a crane operator for 22 years.",
        "Shipping companies began diverting vessels to Emden and Bremerhaven, adding up to two days to some deliveries.",
        "The transport minister urged both sides to return to talks and offered the services of a state mediator.",
        "Retailers warned that shelves could start to empty within a fortnight if the dispute dragged on.",
    ],
    "museum": [
        "Thieves broke into the city museum in the early hours of Sunday and escaped with three gold brooches from a Viking-age hoard.",
        "Alarms sounded at 3.40am, but the thieves had already left through a skylight by the time guards reached the gallery, police said.",
        "The brooches, found by a farmer in 1958, are considered among the most important archaeological finds in the region.",
        "Their market value is difficult to estimate because they could never be sold legally, a curator explained.",
        "Police are examining footage from cameras in surrounding streets and have appealed for witnesses who saw a dark van near the museum.",
        "It is the second theft from a regional museum this year, following the loss of a silver chalice in March.",
        "The museum will stay closed until Wednesday while forensic teams finish their work.",
    ],
    "tennis": [
        "Lena Hartmann won her first Grand Slam title on Saturday, beating the defending champion 6-4, 3-6, 7-5 in a final that lasted almost three hours.",
        "The 21-year-old saved two break points at 5-5 in the deciding set before converting her third match point with a forehand down the line.",
        "“I dreamed of this moment when I was six years old, hitting balls against my grandparents' garage,” Hartmann said, holding back tears.",
        "Her opponent called for the trainer in the second set and played the rest of the match with her left thigh strapped.",
        "Hartmann will rise to fourth in the world rankings on Monday, the highest position of her career.",
        "The crowd of 15,000 gave both players a standing ovation before the trophy ceremony.",
        "Hartmann's coach, a former doubles player, joined her team only in January.",
    ],
    "budget": [
        "Parliament approved next year's budget by 87 votes to 61 on Thursday after a 14-hour debate.",
        "The budget raises spending on hospitals and schools by 4% and cuts the tax rate on small businesses from 21% to 19%.",
        "Opposition parties accused the government of underestimating the cost of its pension reform by at least €2bn.",
        "The finance minister rejected the claim, saying the figures had been checked by the independent fiscal council.",
        "A last-minute amendment to scrap a tax on sugary drinks was defeated by three votes.",
        "The budget must still be signed by the president, who has 15 days to do so.",
        "Credit rating agencies are expected to publish their assessments of the plan next month.",
    ],
}

FRESH_TRICKY: list[str] = [
    "In a post on Instagram on Monday, the French president thanked the Kremlin staff for their hospitality.",
    "He later shared a video on YouTube in which he explains, step by step, how the proposal would work.",
    "Advertisements for the concert appeared on buses across the city weeks before tickets went on sale.",
    "Related charges against two port officials were dropped last year for lack of evidence.",
    "Share prices of European defence companies rose sharply after the talks ended.",
    "Follow-on talks between the union and management are pencilled in for Friday.",
    "“We are not going to be intimidated!” the minister said as she left the chamber.",
    "The agency's photographer, who asked not to be named, said the picture was taken from a balcony opposite the gallery.",
    "Macron, left, and Putin held talks for more than five hours, longer than either side had planned.",
    "Putin speaks to Macron by phone roughly once a month, according to the Kremlin.",
    "The Reuters news agency reported that some units had already begun to move back to their bases.",
    "Sign-up rates for the government's retraining scheme rose sharply after the strike began.",
    "Subscribers to the museum's newsletter were the first to learn of the theft.",
    "Hartmann posted a photo of the trophy on Twitter with a single word: “Finally.”",
    "The club's Facebook page, which has 80,000 followers, was flooded with messages of support.",
    "The minister, who tweets under the handle @FinMin, did not respond to questions about the amendment.",
    "The clip, which first appeared on TikTok, was later picked up by national broadcasters.",
    "Readers of this newspaper may remember the 1998 strike, which lasted 47 days.",
    "The photo caption in the museum's own catalogue describes the brooches as “unique in Europe”.",
    "Story after story told of lorry drivers sleeping in their cabs for three nights.",
    "Copyright experts said the footage could not be used without the museum's permission.",
    "Key to the deal was a promise to review the use of automated cranes every two years.",
    "Watch for the response from the rating agencies, one economist advised.",
    "Credit card spending fell by 3% in the month to October, the central bank said.",
    "Source code for the museum's alarm system was not compromised, the police said.",
    "The talks ended without agreement. Both sides said they would meet again next week.",
    "“Share the pain, share the gain,” read one of the union's banners.",
    "“Thank you, Velsen!” read a banner hung from a crane on the first day of the strike.",
    "Photographs from the scene show a ladder propped against the museum's rear wall.",
    "The final was broadcast live in 40 countries and streamed on the tournament's YouTube channel.",
    "PARIS (AP) — French President Emmanuel Macron said Tuesday that Russia had promised not to escalate the crisis.",
    "(Reuters) - Russia said on Monday it would study the proposals carefully before responding.",
    "More than 2,000 people signed up to volunteer at the port canteen, the union said.",
    "Also on the agenda was the future of the regional airport, which has lost money for six years.",
]


def _f_content(text: str, tricky: bool = False) -> dict:
    return {"label": "content", "text": text, "tricky": tricky}


def _f_res(category: str, text: str, style: str) -> dict:
    return {"label": "residue", "category": category, "text": text, "style": "fresh:" + style}


def _f_glued(category: str, keep: str, remove: str, style: str, before: bool = False) -> dict:
    return _glued(keep, remove, category, "fresh:" + style, before)


FRESH_RESIDUE: list[tuple[str, str, str]] = [
    # (category, text, style)
    (
        "tweet",
        "Russia's Putin tells Macron he will respond to Western security proposals https://t.co/Xy12AbQ9 — Reuters (@Reuters) February 7, 2022",
        "news_org_tweet",
    ),
    (
        "tweet",
        "🇫🇷🇷🇺 Arrivée du Président de la République à Moscou. pic.twitter.com/Qw7TgE2kLp — Élysée (@Elysee) February 7, 2022",
        "french_tweet",
    ),
    ("tweet", "Just landed in Kyiv. Long day ahead. — Jane Marsh (@janemarsh_tv) February 8, 2022", "tweet_no_link"),
    (
        "tweet",
        "“The military capacities of NATO and Russia are incomparable” - Putin pic.twitter.com/Lm3Nb8Vc0Q — World Desk (@worlddesk) February 7, 2022",
        "quoted_tweet",
    ),
    (
        "tweet",
        "Strike update: no ships loaded at Velsen today. Union says walkout continues tomorrow. pic.twitter.com/ZZt5Rr8Uu1 - Port Watch (@portwatch_nl) March 15, 2022",
        "hyphen_sig",
    ),
    (
        "tweet",
        "That forehand. That moment. 🏆 #HartmannChamp https://t.co/Ab9K2LmQ0r — Tennis Daily (@TennisDaily) June 4, 2022",
        "emoji_tweet",
    ),
    (
        "tweet",
        "Budget passes 87-61. Full breakdown of the vote in the thread below ⬇️ — Parliament Watch (@ParlWatch) November 24, 2022",
        "thread_tweet",
    ),
    ("tweet", "pic.twitter.com/9dKs0PqW2e", "link_only"),
    ("tweet", "Skip Twitter post, 1", "bbc_skip_numbered"),
    ("tweet", "End of Twitter post, 1", "bbc_end_numbered"),
    ("instagram", "A post shared by Emmanuel Macron (@emmanuelmacron) on Feb 7, 2022 at 9:15am PST", "ig_classic"),
    ("instagram", "A photo posted by Lena Hartmann (@lenahartmann) on Jun 4, 2022 at 11:02am PDT", "ig_photo_posted"),
    ("instagram", "View this post on Instagram", "ig_view"),
    ("instagram", "A post shared by Velsen Dockers Union (@velsendockers)", "ig_no_date"),
    ("facebook", "Posted by Ministry of Finance on Thursday, November 24, 2022", "fb_posted"),
    ("facebook", "Watch on Facebook", "fb_watch"),
    ("youtube", "Watch the full press conference below:", "yt_watch_full"),
    ("youtube", "Video: Macron and Putin hold joint press conference", "yt_video_label"),
    ("youtube", "WATCH | Thieves escape through museum skylight", "yt_watch_pipe"),
    ("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "yt_url"),
    (
        "caption",
        "French President Emmanuel Macron, left, and Russian President Vladimir Putin talk during their meeting in Moscow on Feb. 7, 2022. (Thibault Camus/Pool via AP)",
        "ap_pool_credit",
    ),
    (
        "caption",
        "Russian President Vladimir Putin and French President Emmanuel Macron at the Kremlin on Monday. Photo: Sputnik/Kremlin via Reuters",
        "photo_via",
    ),
    ("caption", "Lena Hartmann lifts the trophy after her victory. Photograph: Clive Marsh/AP", "guardian_photograph"),
    ("caption", "Lorries queue on the coast road near Velsen. Picture: ANP", "picture_colon"),
    ("caption", "The empty display case at the city museum. (Photo: Police handout)", "photo_paren_end"),
    ("caption", "Members of parliament vote on the budget on Thursday. REUTERS/Anna Kowal", "reuters_slash"),
    ("caption", "Dock workers gather outside the port gates on Tuesday. [Photo/VCG]", "cd_bracket"),
    (
        "caption",
        "Russian President Vladimir Putin meets French President Emmanuel Macron in Moscow, Russia February 7, 2022. Sputnik/Kremlin via REUTERS",
        "reuters_via",
    ),
    ("credit", "Additional reporting by Mark Trevelyan in London; editing by Philippa Fletcher", "reuters_lower"),
    ("credit", "— The Associated Press contributed to this report.", "ap_dash"),
    ("credit", "CNN's Anna Chernova contributed to this report.", "cnn_contrib"),
    ("credit", "(With inputs from Reuters)", "inputs_reuters"),
    ("credit", "Photo by Nick Fewings on Unsplash", "unsplash"),
    ("credit", "Edited by Sam Cole", "edited_by"),
    ("credit", "— AFP", "dash_agency"),
    ("other", "This article originally appeared on The Conversation.", "originally_appeared"),
    (
        "other",
        "(Except for the headline, this story has not been edited by NewsNow staff and is published from a syndicated feed.)",
        "ndtv_style",
    ),
    ("other", "The views expressed in this article are the author's own.", "views"),
    (
        "other",
        "This story has been published from a wire agency feed without modifications to the text. Only the headline has been changed.",
        "wire_feed",
    ),
    ("other", "Copyright 2022 Reuters", "copyright_short"),
    ("related", "READ MORE: Why the port strike matters for your shopping", "read_more_caps"),
    ("related", "Related: Museum thefts across Europe, a timeline", "related_colon"),
    ("related", "Related coverage", "related_heading"),
    ("related", "Also read | Budget 2023: who wins and who loses", "also_read_pipe"),
    ("related", "Recommended for you", "recommended"),
    ("related", "Most Popular", "most_popular"),
    ("share", "Share this story", "share_story"),
    ("share", "Share via email", "share_email"),
    ("share", "Follow The Herald on Facebook and Twitter", "follow_site"),
    ("share", "Sign up to our free daily newsletter", "signup_free"),
    ("share", "Download our app for the latest news", "download_app"),
    ("share", "Facebook Twitter Email", "share_bar"),
    ("ad", "Advertisement", "ad"),
    ("ad", "ADVERTISEMENT", "ad_caps"),
    ("ad", "Story continues below", "continues_below"),
    ("ad", "Sponsored Content", "sponsored"),
    ("ad", "Ad Feedback", "ad_feedback"),
    ("header", "Story highlights", "story_highlights"),
    ("header", "Key Points", "key_points"),
    ("header", "Listen to this story", "listen_story"),
    ("header", "3 min read", "min_read"),
    ("header", "Published February 8, 2022", "published_no_colon"),
    ("header", "Updated: 8 Feb 2022, 10:15 am IST", "updated_ist"),
    ("header", "Reading Time: 3 minutes", "reading_time"),
]

# residue glued to prose (the prose must survive): (category, remove, style, before?)
FRESH_GLUED: list[tuple[str, str, str, bool]] = [
    (
        "tweet",
        "Talks over. Nobody smiled. pic.twitter.com/Hh7Yy2Ww3e — Kremlin Watch (@kremlinwatch) February 7, 2022",
        "tweet_after",
        False,
    ),
    (
        "tweet",
        "Proud of our dockers today! ✊ #Velsen pic.twitter.com/Ff2Gg3Hh4J — Velsen Union (@velsenunion) March 15, 2022",
        "tweet_after_marked",
        False,
    ),
    (
        "tweet",
        "BREAKING: Budget approved by parliament — Parliament Watch (@ParlWatch) November 24, 2022",
        "tweet_after_breaking",
        False,
    ),
    ("caption", "Lena Hartmann celebrates with the trophy. AFP", "caption_after_bare", False),
    ("credit", "(Photo: Reuters)", "photo_paren_after", False),
    ("credit", "— AFP", "dash_agency_after", False),
    ("credit", "(With inputs from agencies)", "inputs_after", False),
    ("related", "READ MORE: Museum thefts across Europe, a timeline", "read_more_after", False),
    ("share", "Share this article", "share_after", False),
    ("other", "Copyright 2022 The Associated Press. All rights reserved.", "copyright_after", False),
    ("ad", "ADVERTISEMENT", "ad_before", True),
    (
        "tweet",
        "Macron arrives at the Kremlin pic.twitter.com/Rr5Tt6Yy7U — World Desk (@worlddesk) February 7, 2022",
        "tweet_before",
        True,
    ),
]


def build_fresh(seed: int = SEED + 1) -> list[dict]:
    r = random.Random(seed)
    docs = []
    residue = FRESH_RESIDUE[:]
    r.shuffle(residue)
    glued = FRESH_GLUED[:]
    tricky = FRESH_TRICKY[:]
    r.shuffle(tricky)
    names = list(FRESH_STORIES)
    ri = ti = gi = 0
    n_docs = 16
    for i in range(n_docs):
        story = names[i % len(names)]
        paras = [_f_content(p) for p in FRESH_STORIES[story]]
        for _ in range(2 if i < n_docs - 1 else len(tricky) - ti):
            if ti < len(tricky):
                paras.insert(r.randrange(1, len(paras) + 1), _f_content(tricky[ti], True))
                ti += 1
        per_doc = -(-len(residue) // n_docs)
        for _ in range(per_doc):
            if ri < len(residue):
                cat, text, style = residue[ri]
                ri += 1
                paras.insert(r.randrange(1, len(paras) + 1), _f_res(cat, text, style))
        if gi < len(glued):
            cat, remove, style, before = glued[gi]
            gi += 1
            idx = [j for j, p in enumerate(paras) if p["label"] == "content" and not p["tricky"]]
            j = r.choice(idx)
            paras[j] = _f_glued(cat, paras[j]["text"], remove, style, before)
        docs.append({"id": f"f{i + 1:04d}", "set": "fresh", "story": story, "paragraphs": paras})
    # two split layouts: tweet text and signature in separate paragraphs; Instagram wrapper,
    # caption and signature in separate paragraphs
    docs.append(
        {
            "id": "f0017",
            "set": "fresh",
            "story": "summit",
            "paragraphs": [
                _f_content(FRESH_STORIES["budget"][0]),
                _f_res(
                    "tweet",
                    "Macron and Putin agree to keep talking. Next stop: Kyiv. https://t.co/Pp0Oo9Ii8U",
                    "split_text",
                ),
                _f_res("tweet", "— Europe Desk (@EuropeDesk) February 7, 2022", "split_sig"),
                _f_content(FRESH_STORIES["budget"][1]),
                _f_res("instagram", "View this post on Instagram", "split_view"),
                _f_res("instagram", "Trophy day 🏆❤️ #grandslam", "split_caption"),
                _f_res(
                    "instagram",
                    "A post shared by Lena Hartmann (@lenahartmann) on Jun 4, 2022 at 6:40pm PDT",
                    "split_shared",
                ),
                _f_content(FRESH_STORIES["budget"][2]),
                _f_res("related", "Read more:", "read_more_bare"),
                _f_res("related", "Budget 2023: who wins and who loses", "read_more_headline"),
                _f_content(FRESH_STORIES["budget"][3]),
            ],
        }
    )
    return docs


def main() -> None:
    docs = build() + build_fresh()
    with OUT.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    n = sum(len(d["paragraphs"]) for d in docs)
    print(f"wrote {OUT} ({len(docs)} documents, {n} paragraphs)")


if __name__ == "__main__":
    main()
