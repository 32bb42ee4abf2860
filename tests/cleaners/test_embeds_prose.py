"""Prose that starts like boilerplate must survive: removing content is the worst error.

Each sentence below begins with a word that some rule keys on (Share, Follow, Read, Photo,
Source, Published, Advertisement, Reporting by ...).  It must come out unchanged as a
paragraph of its own, after other prose in the same paragraph (the end-of-paragraph rules)
and before it.
"""

from __future__ import annotations

import pytest

from cleaners.embeds import strip_embeds

RISKY_PROSE = [
    # share / follow / like / join / subscribe / sign up / download
    "Share prices in Moscow rose 3% after the meeting, led by energy companies.",
    "Share of the vote for the ruling party fell to 31%, its lowest since 1994.",
    "Shares in the company have doubled since January.",
    "Follow-up talks are expected in Berlin later this month.",
    "Follow the money, the prosecutor told the jury in her closing speech.",
    "Following the talks, the French president flew to Kyiv.",
    "Like us, the French side wants de-escalation, the Kremlin spokesman said.",
    "Like many politicians on Twitter, he posts several times a day.",
    "Like his predecessor, the new governor favours higher rates.",
    "Join the dots and a clear pattern emerges, the auditors wrote.",
    "Joining the talks for the first time was the Polish foreign minister.",
    "Subscribers to the club's streaming service complained that the broadcast froze.",
    "Subscription numbers rose by 12% in the quarter.",
    "Sign-up sheets for the volunteer programme were full within an hour.",
    "Signing up to the scheme takes about ten minutes, officials say.",
    "Sign up rates for the retraining scheme rose sharply after the strike began.",
    "Download speeds in the flooded area fell sharply after an exchange was damaged.",
    "Downloads of the app tripled during the strike.",
    "Get-togethers of more than 50 people remain banned in the region.",
    "Email messages seen by the newspaper show that the warning was sent on Wednesday.",
    "Emails between the two offices were released under freedom of information laws.",
    "Print runs of the newspaper were cut by half during the paper shortage.",
    "Save for a few diplomats, the hall was empty.",
    "Comments by the French foreign minister on Tuesday suggested a less optimistic view.",
    "Tweets by the minister were later deleted.",
    # read more / related / more / see / also / recommended / trending / earlier
    "Read more carefully, the statement contains no new commitments, analysts said.",
    "Reading between the lines, diplomats saw room for compromise.",
    "Related talks on energy supplies are scheduled for next week in Vienna.",
    "Related to the dispute, the union has also asked for an inquiry into rota practices.",
    "Relatedly, the central bank left its forecast unchanged.",
    "More than 100,000 troops have been deployed near the border, according to Western estimates.",
    "More on the talks is expected on Tuesday, when the French president meets his Ukrainian counterpart.",
    "More — much more — is needed, the minister said.",
    "More from the minister is expected later today.",
    "Earlier — before the talks — the two men had lunch.",
    "Earlier this month, the bank raised rates by half a point.",
    "Previously, the record was held by a Dutch rider.",
    "See also the section on energy, the document said, which sets out a timetable.",
    "Seeing the queues, the mayor ordered more buses.",
    "Also read into the record was a letter from the families of the missing fishermen.",
    "Also on the agenda was the future of the regional airport.",
    "Recommended by the committee, the measure passed by 312 votes to 40.",
    "Trending on Chinese social media on Tuesday was a hashtag about the long table.",
    "Don't miss the point, the economist warned: inflation is falling.",
    "Continue to monitor the river levels, residents were told.",
    "Click-and-collect orders rose sharply during the heatwave, one supermarket chain said.",
    # photos / images / videos / credits / sources
    "Photos released by the Kremlin show the two presidents shaking hands before the talks.",
    "Photo opportunities were limited: journalists were kept behind a rope at the far end of the hall.",
    "Photographs from the scene show a ladder propped against the museum's rear wall.",
    "Pictures by the dozen were posted online within minutes.",
    "Pictures of the long table were shared millions of times.",
    "Image rights have become a sensitive subject for the festival.",
    "Images of the flooded town appeared on front pages across Europe.",
    "Video by a resident shows the moment the bridge collapsed.",
    "Video footage from the scene, posted on Telegram, showed smoke over the hills.",
    "Watch for the response from the rating agencies, one economist advised.",
    "Watching from the stands was the club's former captain.",
    "Viewing figures for the final were the highest in a decade.",
    "Credit card spending fell by 3% in the month to October, the central bank said.",
    "Credit rating agencies are expected to publish their assessments next month.",
    "Credit for the rescue belongs to the volunteers, the mayor said.",
    "Source code for the museum's alarm system was not compromised, the police said.",
    "Sources close to the delegation said the talks had been tense at times.",
    "Source data from the weather service show that 140mm of rain fell in 24 hours.",
    "Caption contests on social media made fun of the seating arrangement.",
    "File photos of the suspect were released by police on Tuesday.",
    "Filed in March, the lawsuit accuses the company of negligence.",
    # credits / contributors / wire lines
    "Reporting by local media suggested that the convoy had turned back before reaching the border.",
    "Reporting by Reuters suggested that the convoy had turned back.",
    "Additional reporting from the region is expected once the border crossings reopen.",
    "Additional troops were sent to the border on Monday.",
    "With assistance from the UN, the evacuation of the villages began on Tuesday morning.",
    "With inputs from farmers, the ministry redrew the flood map.",
    "Editing the constitution was not on the agenda, the spokesman said.",
    "Edited highlights of the match were shown on national television.",
    "Written in 1997, the treaty set out the rules for military exercises near the border.",
    "Written by hand, the letter was delivered to the embassy on Monday.",
    "Produced by a small studio in Lyon, the film cost less than €1m.",
    "Compiled by the ombudsman, the report lists 42 failures.",
    "Volunteers from 12 villages contributed to this report, which was compiled by the regional ombudsman.",
    "More than 40 countries contributed to this year's relief effort, the UN said.",
    "AP reporters in Kessling saw long queues outside the town hall.",
    "AFP, citing a source close to the delegation, reported that the two men had spoken alone.",
    "Reuters reported that the talks lasted more than five hours.",
    "Getty Images and Reuters both distributed the photograph within minutes.",
    "Reuters/Ipsos polling published on Tuesday shows that 54% of voters support the strike.",
    # syndication / copyright / published / updated
    "This article of the treaty has been cited by both sides in the dispute.",
    "This report was translated into Russian by the embassy.",
    "This story has been told many times, but never by the fishermen themselves.",
    "The report was republished from a Kremlin transcript by several state news agencies.",
    "Originally published in 1851, the novel is still widely read.",
    "Originally, the talks were meant to last two hours.",
    "Published in 1997, the treaty was intended to reduce the risk of accidental confrontation.",
    "Published figures show that the bank has missed its inflation target for 24 months.",
    "Updated figures from the ministry show 312 homes were flooded, not 300 as first reported.",
    "Updated at dawn, the fire service's map showed three active fronts.",
    "Posted by a resident on Facebook, the photograph was shared 40,000 times.",
    "Posted to Kyiv in 2014, the diplomat speaks fluent Ukrainian.",
    "Copyright infringement claims rose in 2021, the agency said.",
    "Copyright law was last reformed in 2019.",
    "Disclaimers on the packaging were found to be misleading.",
    "Reprinted many times since 1950, the map is a collector's item.",
    # ads / sponsored / promoted
    "Advertisement spending in the region fell by 12% last year, according to industry figures.",
    "Advertisements for the concert appeared on buses across the city.",
    "Ad revenue at the club's stadium has doubled since the new owners arrived.",
    "Sponsored by the foreign ministry, the conference drew 300 delegates from 40 countries.",
    "Sponsored content is growing faster than traditional advertising, a study found.",
    "Promoted to captain last season, Mensah has scored 14 goals.",
    "Paid leave for flood volunteers was approved by the council.",
    # furniture-like
    "Story highlights of the season included a late winner against Porto.",
    "Story after story told of lorry drivers sleeping in their cabs for three nights.",
    "Key points of the French proposal were not made public.",
    "Key to the deal was a promise to review the use of automated cranes every two years.",
    "Highlights of the budget include a cut in the tax on small businesses.",
    "Listen to the fishermen, the mayor said, and you will hear that the launches cost them money.",
    "Breaking news is not what the Kremlin wanted, the spokesman joked.",
    "Search teams found the missing man on Friday afternoon.",
    "Sections of the embankment collapsed near the village of Dorn.",
    "Menu prices at the stadium rose by a fifth this season.",
    "Summary executions were reported in the region, the UN said.",
    "Tags on the stolen brooches could help police trace them.",
    "Topics discussed included arms control and gas supplies.",
    "Loading of container ships resumed on Thursday.",
    "Skip the queue tickets for the evening screenings sold out within minutes.",
    # social platforms in prose
    "Twitter post by the minister was deleted on Monday.",
    "Instagram post by the singer drew criticism from fans.",
    "Post by post, the agreement fell apart.",
    "Obama wrote on Twitter that the agreement was “a step in the right direction”.",
    "A post shared by the mayor on Instagram showed flooded streets in the old town.",
    "The video, first posted on YouTube by a local news channel, has been viewed two million times.",
    "Tweet by tweet, the campaign gathered momentum.",
    "Advertising revenue at the club doubled after the takeover.",
    "Image copyright disputes are rare, lawyers say.",
    "Image copyright holders were not consulted, the museum admitted.",
    "We may earn less this year, the chief executive warned.",
    "Embedded reporters travelled with the army for three weeks.",
    "This video was filmed on a phone by a passenger on the ferry.",
    "Media playback figures show the final was watched by 12 million people.",
    # legal lists and numbers
    "(c) any person who knowingly assists an offence under this section.",
    "(a) the right to join a union, and (b) the right to strike.",
    "3 minutes after kick-off, Asante hit the post.",
    "5 min read was the slogan of the new digest, which lasted a month.",
    # quotes with first person and exclamation
    "“We are not going to be intimidated!” the minister said as she left the chamber.",
    "“Thank you, Velsen!” read a banner hung from a crane on the first day of the strike.",
    "“Share the pain, share the gain,” read one of the union's banners.",
    # datelines
    "PARIS, Feb 8 (Wire) - The French president said on Tuesday that he had obtained assurances.",
    "MOSCOW (AP) — Russia and France held talks for more than five hours.",
    "(Reuters) - Russia said on Monday it would study the proposals carefully before responding.",
    # captions-like prose
    "Macron, left, and Putin held talks for more than five hours, longer than either side had planned.",
    "Putin speaks to Macron by phone roughly once a month, according to the Kremlin.",
    "The host (right) and his guest (left) sat at opposite ends of a white table.",
]

PROSE = "The two leaders met for more than five hours in the Kremlin on Monday."


@pytest.mark.parametrize("sentence", RISKY_PROSE)
def test_risky_prose_paragraph_stays(sentence):
    text = f"{PROSE}\n\n{sentence}\n\n{PROSE}"
    assert strip_embeds(text) == (text, [])


@pytest.mark.parametrize("sentence", RISKY_PROSE)
def test_risky_prose_glued_after_prose_stays(sentence):
    text = f"{PROSE} {sentence}"
    assert strip_embeds(text) == (text, [])


@pytest.mark.parametrize("sentence", RISKY_PROSE)
def test_risky_prose_before_prose_stays(sentence):
    text = f"{sentence} {PROSE}"
    assert strip_embeds(text) == (text, [])
