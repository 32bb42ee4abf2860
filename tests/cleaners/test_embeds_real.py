"""The embeds step on real scraped news: one test per class of residue, with paragraphs taken
from the tune split of evals/embeds (Horne & Adali 2017; FakeNewsCorpus sample), and the prose
around them that must stay."""

from __future__ import annotations

import json

import pytest

from cleaners.boilerplate import line_key, prose_words
from cleaners.embeds import strip_embeds
from cleaners.residue import load_residue, residue_patterns

PROSE = (
    "Customs and Border Protection is the Homeland Security Department agency that will oversee the "
    "construction of the wall along the southern border, officials said on Tuesday."
)
MORE = "Both plans require the wall to be sunk at least six feet into the ground, the request for bids says."


def removed(paragraph: str, title: str | None = None) -> list[dict]:
    """The edits when ``paragraph`` stands between two prose paragraphs; the prose must stay."""
    text, edits = strip_embeds(f"{PROSE}\n\n{paragraph}\n\n{MORE}", title=title)
    assert PROSE in text and MORE in text
    return edits


def gone(paragraph: str, kind: str, title: str | None = None) -> None:
    text, edits = strip_embeds(f"{PROSE}\n\n{paragraph}\n\n{MORE}", title=title)
    assert text == f"{PROSE}\n\n{MORE}", edits
    assert {e["kind"] for e in edits} == {kind}, edits
    assert all(e.get("rule") for e in edits)


@pytest.mark.parametrize(
    "paragraph",
    [
        "I will be meeting with the NRA, who has endorsed me, about not allowing people on the terrorist watch list, "
        "or the no fly list, to buy guns. — Donald J. Trump (@realDonaldTrump) June 15, 2016",
        "— Miller Center (@Miller_Center) November 3, 2016",
        '.@foxandfriends "Russia sent millions to Clinton Foundation"— Donald J. Trump (@realDonaldTrump) October 19, 2017',
    ],
)
def test_post_signatures_with_initials_and_titles(paragraph):
    gone(paragraph, "tweet")


def test_post_laid_out_over_lines():
    block = (
        "Follow\n\nJohn T. Miller @cyvault\n\nNo one caught that Crooked Hillary stated on LIVE TV what our NUKE RESPONSE "
        "TIME IS 4 MIN??@FoxNews @DRUDGE #debatenight #ChrisWallace\n\n11:22 PM - 19 Oct 2016\n\n"
        "4,101 4,101 Retweets   3,957 3,957 likes"
    )
    gone(block, "tweet")


@pytest.mark.parametrize(
    "paragraph,kind",
    [
        ("Share this: Reddit\n\nFacebook\n\nTwitter\n\nTumblr\n\nPinterest\n\nMore\n\nGoogle", "share"),
        ("Sharing is caring!", "cta"),
        ("Continued below...", "related"),
        ("---- Scroll down to read more ----", "related"),
        ("[Fareed Zakaria: America would be Trump’s banana republic]", "related"),
        ("(See “Bill Clinton not Chelsea’s biological father“)", "related"),
        ("Sanders booed after voicing support for Clinton 01:18", "related"),
        ("These Republicans are backing Hillary Clinton  Play Video2:14", "related"),
        ("To read more posts like this visit A Bad Witch’s Blog at www.badwitch.co.uk", "related"),
    ],
)
def test_share_bars_teasers_and_related_links(paragraph, kind):
    gone(paragraph, kind)


@pytest.mark.parametrize(
    "paragraph,kind",
    [
        ("Photo Credit: Songquan Deng / Shutterstock.com", "credit"),
        ("A sign with one of the RNC’s most popular slogans. (Bill Clark/CQ Roll Cal)", "caption"),
        ("Avik Roy (L) discusses Obamacare on television. (William B. Plowman/NBC/NBC News/Getty Images)", "caption"),
        ("Via TruePundit", "source"),
        ("H/T RedFlag News", "source"),
        ("(henrymakow.com)", "source"),
        (
            "The post Potentially Explosive Details Revealed in Fusion GPS Co-Founder’s Testimony Transcript appeared first on RedState.",
            "source",
        ),
        (
            "This article has been contributed by SHTF Plan. Visit www.SHTFplan.com for alternative news, commentary and preparedness info.",
            "source",
        ),
    ],
)
def test_credits_captions_and_source_lines(paragraph, kind):
    gone(paragraph, kind)


@pytest.mark.parametrize(
    "paragraph,kind",
    [
        ("Posted on July 29, 2016 by Baxter Dmitry in News, US // 0 Comments", "header"),
        ("By Lisa Haven", "header"),
        ("Authored by Turd Ferguson via TFMetalsReport.com", "header"),
        ("Home » News » Putin: Hacked Emails Reveal That Clinton Threatened Sanders’ Wife", "nav"),
        (
            "We encourage you to share and republish our reports, analyses, breaking news and videos (Click for details).",
            "disclaimer",
        ),
        (
            "All posts are opinions meant to foster comment, reporting, teaching & study under the “fair use doctrine” in Sec. 107 of "
            "U.S. Code Title 17. No statement is intended as fact.",
            "disclaimer",
        ),
        (
            "Please adhere to our commenting policy to avoid being banned. As a privately owned website, we reserve the right to remove "
            "any comment and ban any user at any time.",
            "comments",
        ),
    ],
)
def test_headers_bylines_disclaimers(paragraph, kind):
    gone(paragraph, kind)


def test_author_bio_at_the_end():
    bio = (
        "Paul Fassa is a contributing staff writer for REALfarmacy.com. His pet peeves are the Medical Mafia’s control over "
        "health and the food industry."
    )
    text, edits = strip_embeds(f"{PROSE}\n\n{MORE}\n\n{bio}")
    assert text == f"{PROSE}\n\n{MORE}" and edits[0]["kind"] == "bio"


def test_a_former_official_in_the_last_paragraph_is_not_a_bio():
    last = "Smith was a deputy attorney general until 2019 and now advises the governor on security."
    assert strip_embeds(f"{PROSE}\n\n{MORE}\n\n{last}")[1] == []


@pytest.mark.parametrize(
    "paragraph,kind",
    [
        ("Purchase a copy of this report @ http://www.reportsnreports.com/Purchase.aspx?name=183585 .", "ad"),
        ("Price of Report: $2900 (Single User Licence)", "ad"),
        ("Subscribe to Canada Free Press for FREE", "cta"),
        (
            "Please share this story on Facebook and Twitter and let us know what you think about this official’s death.",
            "cta",
        ),
        ("What do you think? Do the Clintons belong behind bars and far, far away from the White House?", "cta"),
        (
            "You can support my work through my PayPal account. Thanks https://www.paypal.com/cgi-bin/webscr?cmd=_s-xclick",
            "cta",
        ),
    ],
)
def test_promos_and_calls_to_action(paragraph, kind):
    gone(paragraph, kind)


def test_title_repeated_into_the_body():
    text, edits = strip_embeds(
        "Putin: Hacked Emails Reveal That Clinton Threatened Sanders’ Wife\n\n" + PROSE,
        title="Putin: Hacked Emails Reveal That Clinton Threatened Sanders' Wife",
    )
    assert text == PROSE and edits[0]["rule"] == "title_repeat"


def test_pull_quote_repeating_the_body_goes_and_the_body_stays():
    body = (
        "It is a special and unique form of arrogance to think you could even consider being literally the leader of the "
        "free world without doing the work to deeply understand the issues, she wrote."
    )
    pull = "It is a special and unique form of arrogance to think you could even consider being literally the leader of the free world"
    text, edits = strip_embeds(f"{PROSE}\n\n{pull}\n\n{body}")
    assert text == f"{PROSE}\n\n{body}" and edits[0]["kind"] == "pull_quote"


@pytest.mark.parametrize(
    "text",
    [
        # an interactive timeline: date lines in the body are content
        "He said it first in 2015.\n\nJune 16, 2015\n\nThe campaign launched.\n\nJuly 18, 2015\n\nThe rally followed.\n\n"
        "Sept. 15, 2015\n\nThe debate.",
        # a refrain and headings repeated three times
        "First they came.\n\nI remained silent;\n\nThen they came.\n\nI remained silent;\n\nThen more came.\n\nI remained silent;",
        # reported speech about a platform, a subheading, an interview turn
        "Trump wrote on Twitter that the talks went well.\n\nThe discovery\n\nSR: Do you think Congress will resist?",
    ],
)
def test_prose_that_looks_like_residue_stays(text):
    assert strip_embeds(text)[1] == []


def test_documents_that_are_not_articles_have_no_prose():
    teaser_only = (
        "How To Easily Understand The Difference Between The Day Of Christ And The Day Of Lord In The End Times"
    )
    error_page = "ERROR\n\nMain Error Mesage Here\n\nMore detailed message would go here to provide context for the user and how to proceed"
    assert prose_words(strip_embeds(teaser_only)[0].split("\n\n")) == 0
    assert prose_words(strip_embeds(error_page)[0].split("\n\n")) == 0
    assert prose_words(f"{PROSE}\n\n{MORE}".split("\n\n")) >= 15


def test_not_article_rejected_by_the_step():
    from flows.config import Config
    from flows.steps import embeds_step

    records = [
        {
            "doc_id": "a",
            "status": None,
            "title": None,
            "source": "x",
            "edits": [],
            "flags": [],
            "text": "ERROR\n\nMain Error Mesage Here",
        },
        {
            "doc_id": "b",
            "status": None,
            "title": None,
            "source": "x",
            "edits": [],
            "flags": [],
            "text": f"{PROSE}\n\n{MORE}",
        },
    ]
    counts = embeds_step(records, Config())
    assert records[0]["status"] == "quarantined" and records[0]["reason"].startswith("not_article: 0 words of prose")
    assert records[1]["status"] is None and counts["rejected"] == 1
    records[0].update(status=None, reason=None, text="ERROR\n\nMain Error Mesage Here")
    embeds_step(records[:1], Config(min_prose_words=0))
    assert records[0]["status"] is None


def test_residue_is_one_definition_for_the_suite_and_the_remover(tmp_path):
    """The clean suite's residue expectation takes its patterns from residue.toml, and the
    embeds step removes every example there even with a user's rules file that knows no tweets."""
    from cleaners.embeds import load_rules
    from expectations.validate import read_suite_file

    suite = read_suite_file("clean_documents")
    exp = next(e for e in suite["expectations"] if e["type"] == "expect_column_values_to_not_match_regex_list")
    assert exp["kwargs"]["regex_list"] == {"$PARAMETER": "residue_patterns"}
    assert residue_patterns() == [r.source for r in load_residue()] and len(residue_patterns()) >= 6
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "ad"\ncategory = "ad"\nremove = "paragraph"\npattern = "^Sponsored$"\n')
    user_rules = load_rules(rules)
    for r in load_residue():
        raw = "Putin and Macron talked for five hours in Moscow on Monday.\n\n" + r.example
        text, _ = strip_embeds(raw, user_rules)
        assert not any(p.pattern.search(text) for p in load_residue()), (r.name, text)
        assert text.startswith("Putin and Macron talked")


def test_lines_repeated_across_a_source(tmp_path):
    """A widget line in three documents of one source goes from all of them; the same line in
    three copies of one syndicated story does not count; other sources keep theirs."""
    from flows.config import Config
    from flows.dedup.repeated_lines import scan_repeated_lines
    from flows.read import discover_inputs

    widget = "97% of readers think this story is Fact. Add your two cents."
    story = "The Kremlin said the two presidents would speak again on Friday about the troops at the border."
    openers = [
        "Rain fell on the capital all week.",
        "The senator left the chamber early.",
        "Markets rallied after the vote.",
    ]
    docs = [{"id": f"b{i}", "source": "bin.com", "text": f"{opener}\n\n{widget}"} for i, opener in enumerate(openers)]
    docs += [
        {"id": f"s{i}", "source": "syn.com", "text": f"{story}\n\nA quote repeated in every copy of it."}
        for i in range(3)
    ]
    docs += [{"id": "o1", "source": "other.com", "text": f"Another story entirely.\n\n{widget}"}]
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    keys = scan_repeated_lines(discover_inputs([str(path)]), Config())
    assert line_key("bin.com", "12% of readers think this story is Fact. Add your two cents.") in keys
    assert line_key("other.com", widget) not in keys
    assert line_key("syn.com", "A quote repeated in every copy of it.") not in keys
    text, edits = strip_embeds(f"{PROSE}\n\n{widget}", source="bin.com", repeated=keys)
    assert text == PROSE and edits[0]["kind"] == "boilerplate" and edits[0]["rule"] == "repeated_across_source"
    assert not scan_repeated_lines(discover_inputs([str(path)]), Config(repeated_line_min_docs=0))


def test_caption_printed_twice_the_short_copy_before_a_share_bar_and_the_credited_copy():
    """The Guardian's layout: caption, share bar, caption with "Photograph:" (real, Random split)."""
    caption = "Trump stands with Betsy DeVos after their meeting at the main clubhouse at Trump National Golf Club in Bedminster, New Jersey."
    text, edits = strip_embeds(
        f"{PROSE}\n\n{caption}\n\nFacebook Twitter Pinterest\n\n{caption} Photograph: Mike Segar/Reuters\n\n{MORE}"
    )
    assert text == f"{PROSE}\n\n{MORE}"
    assert {e["rule"] for e in edits} >= {"truncated_copy", "caption_explicit_credit"}


@pytest.mark.parametrize(
    "paragraph",
    [
        "Vladimir Putin awarded Rex Tillerson the Russian Order of Friendship. Photograph: Alexei Nikolsky/Tass",
        "Senate Majority Leader Mitch McConnell (R-Ky.) has announced plans to put an Obamacare repeal on the Senate floor on Jan. 3. (Jonathan Ernst/Reuters)",
        "Michael Hayden is a retired Air Force four-star general, former director of the National Security Agency and former "
        "director of the CIA. (Photo: Jasper Colt, USA TODAY)",
    ],
)
def test_a_photographers_credit_makes_the_sentence_before_it_a_caption_whatever_its_tense(paragraph):
    gone(paragraph, "caption")


def test_an_agency_alone_glued_to_narrated_prose_takes_only_the_credit():
    text, edits = strip_embeds(
        f"The talks lasted five hours on Monday, and the leaders met again on Tuesday. (Photo: Getty Images)\n\n{MORE}"
    )
    assert text.startswith("The talks lasted five hours on Monday, and the leaders met again on Tuesday.")
    assert [e["before"] for e in edits] == ["(Photo: Getty Images)"]


def test_bbc_image_caption_label_and_glued_copyright():
    text, edits = strip_embeds(
        f"{PROSE}\n\nExxonMobil head Rex Tillerson sits at a shareholder meeting in Dallas. Image copyrightGETTY IMAGES\n\n"
        f"Image caption\n\nRex Tillerson hopes to move from the ExxonMobil boardroom to White House Cabinet meetings\n\n{MORE}"
    )
    assert text == f"{PROSE}\n\n{MORE}"
    assert {e["kind"] for e in edits} == {"caption"}


def test_teaser_headline_and_standfirst_above_read_more():
    text, edits = strip_embeds(
        f"{PROSE}\n\nAnalysis Trump's cabinet looks increasingly conventional but far from moderate\n\n"
        "Donald Trump’s personnel picks have stayed within the Republican mainstream – few are Trump cronies\n\n"
        f"Read more\n\n{MORE}"
    )
    assert text == f"{PROSE}\n\n{MORE}"
    assert {e["rule"] for e in edits} == {"scroll_marker", "teaser_before_read_more"}


def test_read_more_about_list_goes_and_the_subheading_after_it_stays():
    text, _ = strip_embeds(
        f"{PROSE}\n\nRead more about:\n\nRex Tillerson - wildcard diplomat\n\nSteven Mnuchin - Secretary of the Treasury nominee\n\n"
        f"Here come the generals\n\n{MORE}"
    )
    assert text == f"{PROSE}\n\nHere come the generals\n\n{MORE}"


def test_run_of_teaser_headlines_between_prose_goes():
    text, edits = strip_embeds(
        f"{PROSE}\n\nWarrant Related to Clinton Emails to Be Unsealed Tuesday\n\n"
        "Warrant Obtained to Start Reviewing Emails Found on Laptop Used by Clinton Aide\n\n"
        f"FBI Says Review of New Emails Doesn't Change Conclusion Clinton Shouldn't Be Charged\n\n{MORE}"
    )
    assert text == f"{PROSE}\n\n{MORE}"
    assert {e["rule"] for e in edits} == {"teaser_run"}


@pytest.mark.parametrize(
    "lines",
    [
        ["Sherwood Boehlert, former congressman from New York", "Connie Morella, former congresswoman from Maryland"],
        ["Why did they abandon us?", "What's the matter with Kansas?"],
        [
            "“No one here gets out alive.” – Jim Morrison",
            "“The future’s uncertain and the end is always near.” – Jim Morrison",
        ],
    ],
)
def test_lists_of_people_questions_and_quotations_between_prose_stay(lines):
    text = "\n\n".join([PROSE, *lines, MORE])
    assert strip_embeds(text)[0] == text


def test_slideshow_captions_cut_mid_phrase_go_and_hard_wrapped_prose_stays():
    gallery = [
        "Obama answers questions during his year-end news conference",
        "The Obamas take part in a Hanukkah reception in the",
        "Obama speaks during the annual My Brother's Keeper",
        "Obama embraces Biden after signing the 21st Century",
        "President Obama greets service members after speaking",
    ]
    text, edits = strip_embeds("\n\n".join([PROSE, *gallery, MORE]))
    assert text == f"{PROSE}\n\n{MORE}" and {e["rule"] for e in edits} == {"gallery_captions"}
    wrapped = [
        "a maddening howling wind at my back pushes me forward",
        "in an aimless direction without purpose or direction as",
        "if a tumble weed. I feel as if I’m cascading into a turbulent sea of insanity,",
        "drenched in perfuse sweat. I suddenly bolt upright from",
    ]
    text = "\n\n".join([PROSE, *wrapped, MORE])
    assert strip_embeds(text)[0] == text


@pytest.mark.parametrize(
    "paragraph,kind",
    [
        ("673-lou-dobbs-clinton-1200", "caption"),
        ("assange", "caption"),
        ("(H/T – Daily Mail)", "source"),
        ("(via Breitbart)", "source"),
        ("Play VIDEO", "related"),
        ("Sen. Reid To Trump: Rescind Bannon Appointment 1:42", "related"),
        ("close dialog", "nav"),
        ("Updated Dec. 25 at 3:53 pm E.T.", "header"),
    ],
)
def test_image_names_hat_tips_players_widgets_and_update_lines(paragraph, kind):
    gone(paragraph, kind)


def test_redaction_marks_and_list_entries_repeated_in_a_list_stay():
    entries = [
        "Jo Lee",
        "Former Environmental Protection Agency administrator",
        "Ana Ruiz",
        "Former Environmental Protection Agency administrator",
        "Li Wei",
    ]
    text = "\n\n".join([PROSE, "xxxxxxxxxxxxxxxxxxxxxxx", *entries, MORE])
    assert strip_embeds(text)[0] == text


def test_glued_widget_words_and_bracketed_links_after_a_hard_wrap_join():
    text, edits = strip_embeds(
        "It was a “disgrace.” close dialog\n\nRates rose by 1.62 cases per 100,000 persons. "
        "(Related: Another outbreak at Disneyland tied to water coolers)\n\nContinued below... The newspaper gave it a page."
    )
    assert (
        text == "It was a “disgrace.”\n\nRates rose by 1.62 cases per 100,000 persons.\n\nThe newspaper gave it a page."
    )
    assert [e["rule"] for e in edits] == ["widget_words", "bracketed_link", "scroll_marker_lead"]


@pytest.mark.parametrize(
    "paragraph,kind",
    [
        ("Donald Trump refuses to say if he will accept election result in final debate Read more", "related"),
        (
            "RelatedIsis Offers Cash for Babies: Islamic State Luring American WomenIndia: Karan Singh is World's Tallest",
            "related",
        ),
        ("More From Newser", "related"),
        ("More On This... Shutdown extension ahead?", "related"),
        ("PHOTOS: Celebrities Who Died In Bizarre Circumstances", "related"),
        ("( Also on POLITICO: Clinton left out by liberal donor club)", "related"),
        ("The U.S. Centers for Disease Control and Prevention has more on hepatitis C.", "related"),
        ("For more on autism and diagnosis, visit the Autism Society.", "related"),
        ("Click for more from the New York Post.", "related"),
        ("View complete question responses and trends.", "related"),
        ("Story Continued Below", "related"),
        (
            "JUST WATCHED Neighbor kicked in door to rescue women Replay More Videos ... MUST WATCH Neighbor kicked in "
            "door to rescue women 02:02",
            "related",
        ),
    ],
)
def test_teasers_and_pointers_of_news_sites(paragraph, kind):
    """Real lines of the first held-out split (AllSides-linked articles, HealthStory, FNC-1 bodies)."""
    gone(paragraph, kind)


@pytest.mark.parametrize(
    "paragraph,kind",
    [
        ("Enlarge this image toggle caption Carolyn Kaster/Associated Press Carolyn Kaster/Associated Press", "credit"),
        ("Courtesy: PinkNews", "credit"),
        ("Lisa BonetPhoto: WireImage", "credit"),
        ("Image copyright AFP Image caption Gen Kenneth McKenzie visited Saudi Arabia on Thursday", "caption"),
        ("Media playback is unsupported on your device Media caption Iran releases video", "caption"),
        ('CLOSE One resident said this is the "worst flooding I have ever seen in this area." USA TODAY', "caption"),
        ("Photo", "caption"),
        ("7 years ago", "header"),
        ("HealthDay Reporter", "header"),
        ("Special for USA TODAY", "header"),
        ("(This post last updated at 2:20 p.m. ET)", "header"),
        ("-- Thomas H. Maugh II / Los Angeles Times", "header"),
        ("Write to Ron Winslow at ron.winslow@wsj.com", "bio"),
        (
            "Follow Christie D'Zurilla on Twitter @theCDZ and Google+. Follow the Ministry of Gossip on Twitter @LATcelebs.",
            "share",
        ),
        ("Follow @politico", "share"),
        ("PHOTO GALLERY | 1 of 38 IMAGES", "nav"),
        ("En Español", "nav"),
        ("Do You Support Marco Rubio for the GOP Nomination? Vote Here Now", "cta"),
        ("Sorry we are not currently accepting comments on this article.", "comments"),
        ('{"unitName":"dfpPosition2","display":"mobile","isMobile":false} hidden ad unit', "other"),
        ("ALPMY -0.78%", "other"),
        ("Fertility and Sterility, online May 26, 2010.", "source"),
        ("Contributing: Katharine Lackey in McLean, Va.", "source"),
    ],
)
def test_credits_headers_widgets_and_code_of_news_sites(paragraph, kind):
    """Real lines of the first held-out split; each goes whole, with its category."""
    gone(paragraph, kind)


def test_enlarge_credit_goes_and_the_caption_sentence_after_it_stays():
    text, edits = strip_embeds(
        f"{PROSE}\n\nEnlarge By RANDY MAYOR, AP Stroke belt residents were 32% more likely to eat fried fish.\n\n{MORE}"
    )
    assert "Stroke belt residents were 32% more likely to eat fried fish." in text and "RANDY" not in text
    assert [e["rule"] for e in edits] == ["enlarge_credit_inline"]


def test_title_with_its_standfirst_glued_goes_and_a_lede_that_starts_with_the_title_stays():
    title = "Weighing effectiveness versus risk in obesity drugs"
    head = (
        "Weighing effectiveness versus risk in obesity drugs Experts disagree on whether the FDA is too tough or not "
        "tough enough on weight-loss medications."
    )
    text, edits = strip_embeds(f"{head}\n\n{PROSE}\n\n{MORE}", title=title)
    assert text == f"{PROSE}\n\n{MORE}" and edits[0]["rule"] == "title_standfirst"
    lede = "Donald Trump is going to be elected president."
    text, edits = strip_embeds(f"{lede}\n\n{PROSE}", title="Donald Trump is going to be elected")
    assert text.startswith(lede) and not edits


@pytest.mark.parametrize(
    "paragraph",
    [
        "She has more on her mind than the election, her aide said.",
        "Check out this article to read more on optimism & positive psychology, and this one about happiness.",
        "Photos taken on Tuesday show the damage to the bridge, the ministry said.",
        "CLOSE to 500 people attended the vigil on Sunday.",
        "Follow the money, the prosecutor told the jury.",
    ],
)
def test_prose_shaped_like_the_new_furniture_stays(paragraph):
    assert removed(paragraph) == []
