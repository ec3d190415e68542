//! Table-driven tests of extraction, one named line per pattern, each with a negative case.

use std::path::PathBuf;

use super::*;
use crate::article::parse_plain;

/// Extracts from an article given as paragraphs separated by blank lines.
fn run(text: &str) -> Vec<Quote> {
    let article = parse_plain(&PathBuf::from("t.txt"), &format!("date 2024-01-01\n\n{text}"));
    extract(&article)
}

/// (quote text, speaker) pairs.
fn pairs(text: &str) -> Vec<(String, Option<String>)> {
    run(text).into_iter().map(|q| (q.text, q.speaker)).collect()
}

type Case = (&'static str, &'static str, &'static [(&'static str, Option<&'static str>)]);

fn check(cases: &[Case]) {
    let mut failures = Vec::new();
    for (name, text, want) in cases {
        let got = pairs(text);
        let want: Vec<(String, Option<String>)> =
            want.iter().map(|(q, s)| (q.to_string(), s.map(str::to_string))).collect();
        if got != want {
            failures.push(format!("case {name}:\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const OK: Option<&str> = Some("Adaeze Okafor");

#[test]
fn cue_after_the_quote() {
    check(&[
        (
            "said Name, appositive",
            "“We will win,” said Adaeze Okafor, a senator from Veld.",
            &[("We will win,", OK)],
        ),
        ("Name said", "“We will win,” Adaeze Okafor said.", &[("We will win,", OK)]),
        (
            "Name, role, said",
            "“We will win,” Adaeze Okafor, a senator from Veld, said on Monday.",
            &[("We will win,", OK)],
        ),
        ("adverb", "“We will win,” Adaeze Okafor later told reporters.", &[("We will win,", OK)]),
        ("question mark", "“Is this fair?” asked Adaeze Okafor.", &[("Is this fair?", OK)]),
        (
            "according to",
            "“Tariffs hurt everyone,” according to Adaeze Okafor.",
            &[("Tariffs hurt everyone,", OK)],
        ),
        (
            "no cue (negative)",
            "“We will win the whole thing,” the banner read across the hall.",
            &[("We will win the whole thing,", None)],
        ),
    ]);
}

#[test]
fn cue_before_the_quote() {
    check(&[
        ("colon", "Adaeze Okafor said: “We will win.”", &[("We will win.", OK)]),
        ("no colon", "Adaeze Okafor said “we will win this vote.”", &[("we will win this vote.", OK)]),
        ("partial with appositive", "Adaeze Okafor, a senator from Veld, said that “the tariff is a tax on farmers” and left.", &[("the tariff is a tax on farmers", OK)]),
        ("according to", "According to Adaeze Okafor, “the tariff is a tax on farmers.”", &[("the tariff is a tax on farmers.", OK)]),
        ("told reporters that", "Adaeze Okafor told reporters on Monday that the bill was “a tax on every farmer.”", &[("a tax on every farmer.", OK)]),
        ("colon after non-cue", "Adaeze Okafor was blunt: “The bill is dead.”", &[("The bill is dead.", OK)]),
        ("no speaker (negative)", "The bill was described as “a tax on every farmer in the land.”", &[("a tax on every farmer in the land.", None)]),
    ]);
}

#[test]
fn pronouns_and_surnames() {
    check(&[
        ("pronoun", "Adaeze Okafor spoke first.\n\n“We will win,” she said.", &[("We will win,", OK)]),
        ("pronoun after speaker", "“First,” Adaeze Okafor said.\n\n“Second point here,” she added.", &[("First,", OK), ("Second point here,", OK)]),
        ("pronoun skips other gender", "Sen. Adaeze Okafor met Mr. Tobi Lindqvist. Okafor said her plan was ready.\n\n“We are ready,” she said.", &[("We are ready,", OK)]),
        ("surname", "Sen. Adaeze Okafor arrived.\n\n“We will win,” Okafor said.", &[("We will win,", OK)]),
        ("title with surname", "Adaeze Okafor arrived.\n\n“We will win,” Sen. Okafor said.", &[("We will win,", OK)]),
        ("secretary of state", "Secretary of State Adaeze Okafor spoke.\n\n“We will win,” Okafor said.", &[("We will win,", OK)]),
        ("role noun", "Sen. Adaeze Okafor spoke.\n\n“We will win,” the senator said.", &[("We will win,", OK)]),
        ("unknown pronoun (negative)", "“We will win,” she said.", &[("We will win,", None)]),
    ]);
}

#[test]
fn continuation_and_paragraphs() {
    check(&[
        (
            "continuation paragraph",
            "“We will win,” Adaeze Okafor said.\n\n“Nobody can stop this movement now.”",
            &[("We will win,", OK), ("Nobody can stop this movement now.", OK)],
        ),
        (
            "named in previous paragraph",
            "Adaeze Okafor was unequivocal on Monday.\n\n“Nobody can stop this movement now.”",
            &[("Nobody can stop this movement now.", OK)],
        ),
        (
            "multi-paragraph",
            "Adaeze Okafor said: “We will win.\n\n“Nobody can stop us.\n\n“Not today,” she said.",
            &[("We will win. Nobody can stop us. Not today,", OK)],
        ),
        (
            "unclosed runs to end",
            "Adaeze Okafor said: “We will win this vote\n\nThe vote came later.",
            &[("We will win this vote", OK)],
        ),
        (
            "same paragraph",
            "“We will win,” Adaeze Okafor said. “Nobody can stop us.”",
            &[("We will win,", OK), ("Nobody can stop us.", OK)],
        ),
        (
            "split quote",
            "“We will win,” Adaeze Okafor said, “and nobody can stop us.”",
            &[("We will win,", OK), ("and nobody can stop us.", OK)],
        ),
        (
            "named in next sentence",
            "“We will not back down.” The words came from Adaeze Okafor, the senator, speaking on Monday.",
            &[("We will not back down.", OK)],
        ),
        (
            "first paragraph alone (negative)",
            "“Nobody can stop this movement now.”",
            &[("Nobody can stop this movement now.", None)],
        ),
    ]);
}

#[test]
fn scare_quotes_and_apostrophes() {
    check(&[
        ("scare quote (negative)", "The “synergies” were modest, Adaeze Okafor said.", &[]),
        ("quoted term (negative)", "There were “low-level” contacts.", &[]),
        ("nickname (negative)", "Marta “the Hammer” Kowal said nothing.", &[]),
        ("nickname inside a full name", "Amara “Rocket” Diallo-Strand scored twice.\n\n“I never saw it go in,” Diallo-Strand said.", &[("I never saw it go in,", Some("Amara Diallo-Strand"))]),
        ("book title (negative)", "Her book “The Long Road Home” sold well.", &[]),
        ("short direct quote", "“Never,” Adaeze Okafor said.", &[("Never,", OK)]),
        (
            "short sentence",
            "Adaeze Okafor was asked about it. “No comment.”",
            &[("No comment.", OK)],
        ),
        (
            "apostrophes",
            "“Don’t tell me it’s the ’90s again,” Adaeze Okafor said.",
            &[("Don’t tell me it’s the ’90s again,", OK)],
        ),
        (
            "nested single",
            "“He told me ‘never again’ twice,” Adaeze Okafor said.",
            &[("He told me ‘never again’ twice,", OK)],
        ),
        (
            "british style",
            "‘We will win this,’ Adaeze Okafor said. ‘It’s the workers’ moment.’",
            &[("We will win this,", OK), ("It’s the workers’ moment.", OK)],
        ),
        ("straight quotes", "\"We will win,\" Adaeze Okafor said.", &[("We will win,", OK)]),
        ("show after a preposition (negative)", "Adaeze Okafor said on “Morning Harbor” that the ferry would run.", &[]),
        ("show owned by a channel (negative)", "Adaeze Okafor told Harbour TV’s “Evening Tide” nothing new.", &[]),
        ("plain words after told", "Adaeze Okafor told the council “the ferry will run on time.”", &[("the ferry will run on time.", OK)]),
        ("archive export marks", "''The ferry will run,'' Adaeze Okafor said.", &[("The ferry will run,", OK)]),
        ("british marks before a function word", "Adaeze Okafor said the council wanted to ‘right the wrongs’ as it announced the plan. ‘We will,’ she said.", &[("right the wrongs", OK), ("We will,", OK)]),
    ]);
}

/// Short partial quotations (two or three words) governed by a person's speech, naming or
/// quoting verb are quotations of that person; the same words after an organisation, a group,
/// a passive without an agent, `so-called` or `what X calls` are terms.
#[test]
fn short_partial_quotations() {
    const AO: Option<&str> = Some("Amara Okonjo");
    const RA: Option<&str> = Some("Ruth Adair");
    check(&[
        ("called X", "Councillor Amara Okonjo called the tram budget “a fantasy.”", &[("a fantasy.", AO)]),
        ("said X was", "Coach Ruth Adair said the defeat was “deeply embarrassing” for the club.", &[("deeply embarrassing", RA)]),
        ("vowed to", "Ruth Adair vowed to “fight on” through the winter.", &[("fight on", RA)]),
        ("described as", "Governor Ruth Adair described the outage as “wholly avoidable” on Monday.", &[("wholly avoidable", RA)]),
        ("accused of", "Amara Okonjo accused the dock union of “bad faith” in the talks.", &[("bad faith", AO)]),
        ("pronoun subject", "Amara Okonjo spoke last. She dismissed the report as “pure theatre” and left.", &[("pure theatre", AO)]),
        ("participle", "Ruth Adair praised the crews, calling them “quietly heroic” in a statement.", &[("quietly heroic", RA)]),
        ("coordinated verb", "Ruth Adair thanked the crews and called the rescue “a miracle” afterwards.", &[("a miracle", RA)]),
        ("list after one verb", "Amara Okonjo called the deal “a sellout,” “a stitch-up” and “a gift to the shipping lobby.”", &[("a sellout,", AO), ("a stitch-up", AO), ("a gift to the shipping lobby.", AO)]),
        ("object relative", "The plan, which Amara Okonjo called “a disgrace,” passed anyway.", &[("a disgrace,", AO)]),
        ("passive with a person agent", "The levy was called “a commuter tax” by Councillor Amara Okonjo.", &[("a commuter tax", AO)]),
        ("owner of a claim", "Amara Okonjo’s claim that the port lost “thousands of containers” was checked.", &[("thousands of containers", AO)]),
        ("so-called (negative)", "Ruth Adair said the so-called “smart corridor” opened in May.", &[]),
        ("what X calls (negative)", "Ruth Adair toured what Amara Okonjo calls a “holding zone” on Friday.", &[]),
        ("organisation subject (negative)", "The Halden Port Authority described the delays as “teething problems” on Friday.", &[]),
        ("a person's role nobody in the article holds", "The former harbour master said it was “a blunder” to close the quay.", &[("a blunder", None)]),
        ("a role that names an organisation (negative)", "The ferry company said it was “a blunder” to close the quay.", &[]),
        ("a clause a person's speech verb reports", "Ruth Adair said the flood demands that every resident find “more patience” this winter.", &[("more patience", RA)]),
        ("a group's name for something that a person reports (negative)", "Dock staff, Ruth Adair said, called the night shift “the long watch” for years.", &[]),
        ("a clause nobody's speech verb reports (negative)", "The flood demands that every resident find “more patience” this winter.", &[]),
        ("spokesperson for an organisation (negative)", "A spokeswoman for Averly Freight said the company would keep “essential services” running.", &[]),
        ("group subject (negative)", "Fans have taken to calling the north stand “the cauldron” this season.", &[]),
        ("passive without agent (negative)", "She was called “a liar” during the debate.", &[]),
        ("another verb's phrase (negative)", "Mayor Ruth Adair urged calm and offered the hall as a “neutral venue” for talks.", &[]),
        ("adjective participle (negative)", "Amara Okonjo said she doubted the promised “fresh start” would come.", &[]),
        ("no verb (negative)", "The “quick wins” were modest this year.", &[]),
        ("title after a naming verb (negative)", "Ruth Adair starred in a film called “Harbour Lights” last year.", &[]),
        ("one word (negative)", "Amara Okonjo called the plan “reckless” on Monday.", &[]),
    ]);
}

#[test]
fn organisations_and_interviews() {
    check(&[
        ("statement", "The Ministry of Coastal Affairs issued a note.\n\n“Ferries will run,” the ministry said in a statement.", &[("Ferries will run,", Some("Ministry of Coastal Affairs"))]),
        ("spokeswoman for", "“Ferries will run,” a spokeswoman for Velder Logistics said.", &[("Ferries will run,", Some("Velder Logistics"))]),
        ("group (negative)", "“Ferries will run on time,” officials said.", &[("Ferries will run on time,", None)]),
        ("interview", "Adaeze Okafor sat down with us.\n\nQ: Why run?\n\nA: Because the port needs it.\n\nQ: When?\n\nA: Next spring.", &[("Because the port needs it.", OK), ("Next spring.", OK)]),
    ]);
}

#[test]
fn pull_quotes() {
    check(&[
        ("pull quote before body", "Adaeze Okafor spoke.\n\n“Nobody can stop us”\n\nTobi Lindqvist disagreed.\n\n“Nobody can stop us,” Okafor said.", &[("Nobody can stop us", OK), ("Nobody can stop us,", OK)]),
    ]);
}

#[test]
fn positions() {
    let q = &run("Intro.\n\nAdaeze Okafor said: “We will win.”")[0];
    assert_eq!((q.paragraph, q.end_paragraph), (1, 1));
    let para = "Adaeze Okafor said: “We will win.”";
    assert_eq!(&para[q.start..q.end], "We will win.");
    assert_eq!(q.rule, Rule::CueBefore);
}

#[test]
fn context_rules() {
    check(&[
        ("dialogue alternates", "“It was always going to happen,” Hedda Marsvik said.\n\n“That doesn’t make it right,” Tomas Marsvik replied.\n\n“I said it was going to happen.”", &[("It was always going to happen,", Some("Hedda Marsvik")), ("That doesn’t make it right,", Some("Tomas Marsvik")), ("I said it was going to happen.", Some("Hedda Marsvik"))]),
        ("no alternation without two speakers (negative)", "“It was always going to happen,” Hedda Marsvik said.\n\n“I said it was going to happen.”", &[("It was always going to happen,", Some("Hedda Marsvik")), ("I said it was going to happen.", Some("Hedda Marsvik"))]),
        ("referring sentence in next paragraph", "Interior Minister Leyla Haddadin spoke first.\n\n“Where was the inspection? Where was the money?”\n\nThe questions came from Bekzod Tursunov, a father.\n\n“They told us it was safe,” he said.", &[("Where was the inspection? Where was the money?", Some("Bekzod Tursunov")), ("They told us it was safe,", Some("Bekzod Tursunov"))]),
        ("referring sentence, same paragraph", "“Moving it is closing it.” That was the verdict of Dorothy McKinnon, a reader.", &[("Moving it is closing it.", Some("Dorothy McKinnon"))]),
        ("ordinary next sentence (negative)", "Sen. Adaeze Okafor spoke.\n\n“We will win.” The crowd cheered at the Port of Veld.", &[("We will win.", None)]),
        ("pronoun opens the previous sentence", "Hedda Marsvik sat by the lamp.\n\nShe laughed. “Now you’re just being cruel.”", &[("Now you’re just being cruel.", Some("Hedda Marsvik"))]),
    ]);
}

#[test]
fn noun_phrases() {
    check(&[
        ("name between role and verb", "Tessaline’s chief executive, Marguerite Vandersloot, said the deal was “good for every worker here.”", &[("good for every worker here.", Some("Marguerite Vandersloot"))]),
        ("subject before two appositives", "Okafor, 51, a former inspector from Carrow Bay, said: “I did not ask for this job.”", &[("I did not ask for this job.", Some("Okafor"))]),
        ("opening adverbial", "In a note to clients on Friday, Ruairí Mac Giolla-Brown, chief strategist at Halvard Capital, wrote that investors had “priced in a deal, not a breakdown.”", &[("priced in a deal, not a breakdown.", Some("Ruairí Mac Giolla-Brown"))]),
        ("company role then name", "“This is a deal about scale,” Korvath chief executive Anneliese Dubois-Mwangi told analysts.", &[("This is a deal about scale,", Some("Anneliese Dubois-Mwangi"))]),
        ("role noun after a team name", "Rovers manager Brigid McAllister was calm.\n\n“They gave me everything,” the Rovers manager said.", &[("They gave me everything,", Some("Brigid McAllister"))]),
        ("spokesperson for an organisation", "Pellingham Borough Council wrote to tenants.\n\n“We will write again this week,” the spokesman said.", &[("We will write again this week,", Some("Pellingham Borough Council"))]),
        ("it is the organisation", "The Ardmorian Competition Authority was asked.\n\n“The Authority will examine it,” it stated.", &[("The Authority will examine it,", Some("Ardmorian Competition Authority"))]),
        ("organisation with and", "The Ministry of Energy and Industry said in a statement that it “recognises the deep anxiety in the valley.”", &[("recognises the deep anxiety in the valley.", Some("Ministry of Energy and Industry"))]),
        ("headline role", "“We are not going back to the old walls,” minister says", &[("We are not going back to the old walls,", None)]),
        ("two names joined by and are two people (negative)", "Mensah-Dahl and Vähämäki laughed.\n\n“Ask him,” said Kofi Mensah-Dahl.", &[("Ask him,", Some("Kofi Mensah-Dahl"))]),
        ("attributive participle (negative)", "Ashby mocked the government’s promised “reset” with Valdessa.", &[]),
        ("naming verb and a short term (negative)", "The ministry calls them “low-level” contacts.", &[]),
        ("called with a long partial quote", "Mayor Tomás Sánchez called the vote “the most important decision this council will take.”", &[("the most important decision this council will take.", Some("Tomás Sánchez"))]),
        ("called for is not naming (negative)", "The pollster Mathilde Guérin-Sato warned that an election, which the Front has called for, would be “a gamble nobody should want to take.”", &[("a gamble nobody should want to take.", Some("Mathilde Guérin-Sato"))]),
        ("shared surname goes to the first introduced", "Mattias Engebretsen keeps the light. His wife, Birgit Engebretsen, keeps the books.\n\n“It is quiet,” Engebretsen says.", &[("It is quiet,", Some("Mattias Engebretsen"))]),
    ]);
}

#[test]
fn newsroom_conventions() {
    check(&[
        ("honorific and surname", "\"There is a notion that I did something,\" Mr. Obama said.", &[("There is a notion that I did something,", Some("Obama"))]),
        ("cue later in the sentence", "Adaeze Okafor spoke.\n\n“The only way the banks will change is jail time” for fraud, she said.", &[("The only way the banks will change is jail time", OK)]),
        ("verb-like noun before the quote (negative)", "Adaeze Okafor says Lindqvist’s flurry of tweets was “unhinged, even for him.”", &[("unhinged, even for him.", OK)]),
        ("party and state in parentheses", "\"Subpoenas are not optional,\" panel Chairman Rep. Jason Chaffetz (R-Utah) said.", &[("Subpoenas are not optional,", Some("Jason Chaffetz"))]),
        ("parenthesis before the cue", "Rep. John Mica (R-Fla.) said: \"If you continue that, you destroy it.\"", &[("If you continue that, you destroy it.", Some("John Mica"))]),
        ("state abbreviation appositive", "“Our assumption is that the veto will be overridden,” Senate Majority Leader Mitch McConnell, R-Ky., said Tuesday.", &[("Our assumption is that the veto will be overridden,", Some("Mitch McConnell"))]),
        ("relative clause", "Adaeze Okafor met Tobi Lindqvist, now the majority leader, who in 2010 said the goal was a \"one-term president.\"", &[("one-term president.", Some("Tobi Lindqvist"))]),
        ("relative clause that ends before the verb (negative)", "Beatriz Oyinlola, a scientist at Westmarch University who studies voting, said that “the minor-party vote is mostly protest.”", &[("the minor-party vote is mostly protest.", Some("Beatriz Oyinlola"))]),
        ("who prefers a person to an organisation", "The figures came from Jun Takahashi-Reyes, an analyst at Brevik Securities, who said “the price is full but not crazy.”", &[("the price is full but not crazy.", Some("Jun Takahashi-Reyes"))]),
        ("second verb of the subject", "Adaeze Okafor, her rival, bemoaned the unrest in Veld and said drugs were a \"very, very big factor\" in it.", &[("very, very big factor", OK)]),
        ("participle after an opening adverbial", "During a speech earlier in the day, Adaeze Okafor attacked Lindqvist over Veld and Harlow, saying, \"He is reckless and very unstable.\"", &[("He is reckless and very unstable.", OK)]),
        ("pronoun before a later name", "Adaeze Okafor spoke first.\n\nShe said Tobi Lindqvist has \"been a leader far more than our mayor has.\"", &[("been a leader far more than our mayor has.", OK)]),
        ("called on", "Adaeze Okafor called on the ministry to \"really call out the smugglers on this\" and left.", &[("really call out the smugglers on this", OK)]),
        ("participle after a comma", "Rival Adaeze Okafor mocked the complaint, saying anybody who complains about a microphone “is not having a good night.”", &[("is not having a good night.", Some("Rival Adaeze Okafor"))]),
        ("progressive cue and contraction", "Adaeze Okafor spoke.\n\nShe’s claiming that fraud is “a big, big problem in this country.”", &[("a big, big problem in this country.", OK)]),
    ]);
}

const VARGA: Option<&str> = Some("Ines Varga");

#[test]
fn places_clauses_and_answers() {
    check(&[
        (
            "a street is not a pronoun's antecedent",
            "Mayor Ines Varga spoke at the meeting.\n\nShe wants help for shops on Mill Street, which she said had “been carrying this closure since January.”",
            &[("been carrying this closure since January.", VARGA)],
        ),
        (
            "a two-word person is (negative)",
            "Mayor Ines Varga spoke at the meeting.\n\nShe thanked Tomas Mill, who she said had “been carrying this town since January.”",
            &[("been carrying this town since January.", Some("Tomas Mill"))],
        ),
        (
            "a clause opener is not a role before a name",
            "Coach Ines Varga was gracious.\n\nThe coach said her side had “stopped doing the simple things” once Rovers began pressing high.",
            &[("stopped doing the simple things", VARGA)],
        ),
        (
            "a role before a name still is (negative)",
            "“We stopped doing the simple things,” said coach Ines Varga.",
            &[("We stopped doing the simple things,", VARGA)],
        ),
        (
            "the person of a referring sentence, not the club",
            "“We were the better side for an hour.”\n\nThe assessment came from Rovers manager Ines Varga, who did not blame her players.",
            &[("We were the better side for an hour.", VARGA)],
        ),
        (
            "a title with no speaker is not a quotation",
            "The ministry’s assessment, “Rivers Without Margins,” warned that the valley would flood.",
            &[],
        ),
        (
            "words in capitals are a message (negative)",
            "“TURN IT DOWN OR GO HOME,” the message read, in letters three feet high.",
            &[("TURN IT DOWN OR GO HOME,", None)],
        ),
        (
            "the answer to a question asked",
            "Under questioning by Adaeze Okafor, Ines Varga admitted she had kept no notes.\n\n“You never wrote a single thing down, did you?” Okafor asked.\n\n“No, I did not.”",
            &[
                ("You never wrote a single thing down, did you?", OK),
                ("No, I did not.", VARGA),
            ],
        ),
        (
            "a rhetorical question is not answered by another (negative)",
            "Ines Varga spoke after Adaeze Okafor.\n\n“Who could have known?” Okafor said.\n\n“Nobody did.”",
            &[("Who could have known?", OK), ("Nobody did.", OK)],
        ),
        (
            "a witness answers, not a name in the question's lead-in",
            "Under questioning by Adaeze Okafor, Ines Varga said she had never met Tomas Brand.\n\n“So the man you dealt with was only a name on a screen?” Okafor asked.\n\n“A name and an email address, yes.”",
            &[
                ("So the man you dealt with was only a name on a screen?", OK),
                ("A name and an email address, yes.", VARGA),
            ],
        ),
    ]);
}

#[test]
fn roles_signs_crowds_and_writings() {
    check(&[
        (
            "a role before an appositive name",
            "The outgoing governor, Ines Varga, conceded. Adaeze Okafor, the new governor-elect, spoke first.\n\n“The people have chosen,” the outgoing governor said.",
            &[("The people have chosen,", VARGA)],
        ),
        (
            "a role after the name still counts (negative)",
            "Ines Varga, the outgoing governor, conceded.\n\n“The people have chosen,” the governor said.",
            &[("The people have chosen,", VARGA)],
        ),
        (
            "the office of a place is not a person",
            "The decision was condemned by Ines Varga, the MP for Wrenhythe and the Wenlow Valley, who called it “a kick in the teeth for every family on this coast”.",
            &[("a kick in the teeth for every family on this coast", VARGA)],
        ),
        (
            "a portfolio before a name still is a title (negative)",
            "“We will appeal,” said Minister for Coastal Affairs Ines Varga.",
            &[("We will appeal,", VARGA)],
        ),
        (
            "a quotation in parentheses after a name",
            "The local MP, Ines Varga (“this has been handled appallingly from start to finish”), has written to the minister.",
            &[("this has been handled appallingly from start to finish", VARGA)],
        ),
        (
            "a parenthesis after an organisation (negative)",
            "The Veld Harbour Authority (“the authority”) has not replied.",
            &[],
        ),
        (
            "a crowd chants for nobody",
            "“We won tonight,” Ines Varga told supporters. The crowd, many of them in orange scarves, chanted “Veld decides now!” as she spoke.",
            &[("We won tonight,", VARGA), ("Veld decides now!", None)],
        ),
        (
            "a sign reads for nobody",
            "Ines Varga spoke at the meeting.\n\nMany had walked from Limekiln Lane, where a hand-painted sign on the fence reads: “Homes yes. This plan no.”",
            &[("Homes yes. This plan no.", None)],
        ),
        (
            "a person holding a sign speaks (negative)",
            "Ines Varga, holding a sign, said: “Homes yes. This plan no.”",
            &[("Homes yes. This plan no.", VARGA)],
        ),
        (
            "an email's author in the next sentence",
            "Residents of Sallow Cross are angry.\n\n“We will get this over the line by the summer,” the email read. It was sent in March by Ines Varga, the planning officer.",
            &[("We will get this over the line by the summer,", VARGA)],
        ),
        (
            "a message in an opening phrase is not the subject (negative)",
            "Ines Varga, the chief executive of Veld Freight, spoke on Monday.\n\nIn a message to staff, the chief executive said: “We will cut 200 jobs.”",
            &[("We will cut 200 jobs.", VARGA)],
        ),
        (
            "a rhetorical question asked is not answered by another (negative)",
            "Ines Varga spoke after Adaeze Okafor.\n\n“Who could have known?” Okafor asked.\n\n“Nobody did.”",
            &[("Who could have known?", OK), ("Nobody did.", OK)],
        ),
        (
            "two roles joined by and before a name (negative)",
            "“We will appeal,” said founder and chief executive Ines Varga.",
            &[("We will appeal,", VARGA)],
        ),
        (
            "a one-word portfolio and a surname",
            "Ines Varga flew in on Monday.\n\n“We will appeal,” said Secretary of State Varga.",
            &[("We will appeal,", VARGA)],
        ),
        (
            "an opening phrase gives no role (negative)",
            "President Adaeze Okafor arrived.\n\nAfter meeting the president, Ines Varga said she was hopeful.\n\n“We will talk again,” the president said.",
            &[("We will talk again,", OK)],
        ),
        (
            "a film's gloss in parentheses (negative)",
            "The film Blue Velvet (“a masterpiece of dread”) returns to the Veld cinema.",
            &[("a masterpiece of dread", None)],
        ),
        (
            "a letter from an organisation is the organisation's",
            "A letter from the Veld Harbour Authority said: “The berth will close in May.”",
            &[("The berth will close in May.", Some("Veld Harbour Authority"))],
        ),
        (
            "a second verb after the quotation keeps the subject",
            "The Ministry of Energy said that it “recognises the deep anxiety in the valley” and pledged 400 million krona.",
            &[("recognises the deep anxiety in the valley", Some("Ministry of Energy"))],
        ),
        (
            "a group after the quotation still speaks for nobody (negative)",
            "“We will not go back to work,” officials said on Monday.",
            &[("We will not go back to work,", None)],
        ),
        (
            "a possessive inside an organisation's name",
            "The Calder County Sheriff's Office said the festival had been \"within the terms of its permit at all times.\"",
            &[("within the terms of its permit at all times.", Some("Calder County Sheriff's Office"))],
        ),
        (
            "a possessive ends a person's name (negative)",
            "Ines Varga's office said the plan was “dead on arrival in the senate.”",
            &[("dead on arrival in the senate.", None)],
        ),
        (
            "a media role before a name",
            "“He looked like a grown-up,” said Veld News host Ines Varga.",
            &[("He looked like a grown-up,", VARGA)],
        ),
        (
            "a plural noun is not a speaker",
            "Ines Varga responded that the site cites many Republican claims as wrong.\n\n“We are not just checking numbers,” she told reporters.",
            &[("We are not just checking numbers,", VARGA)],
        ),
        (
            "the subject after an opening phrase, before a colon",
            "With Veld leaders worried about turnout, President Ines Varga is rolling out a new message: “It is about me.”",
            &[("It is about me.", VARGA)],
        ),
        (
            "a colon closing the paragraph before",
            "Ines Varga took the stage.\n\nAddressing several hundred strikers at the gates, she said:\n\n“We have been patient for two years.”",
            &[("We have been patient for two years.", VARGA)],
        ),
        (
            "a paragraph without a colon before gives no speaker (negative)",
            "Ines Varga took the stage.\n\nHundreds of strikers waited at the gates.\n\n“We have been patient for two years.”",
            &[("We have been patient for two years.", None)],
        ),
        (
            "a colon after the verb of a sentence with an opening phrase",
            "Addressing the strikers at the gates, Ines Varga said: “We have been patient.”",
            &[("We have been patient.", VARGA)],
        ),
        (
            "a singer sings the words",
            "“Promise you will keep your hands in sight,” Ines Varga sings to the crowd.",
            &[("Promise you will keep your hands in sight,", VARGA)],
        ),
    ]);
}

/// The filter's word splitting and normalising, written byte by byte for speed, give what the
/// plain `str` methods give.
#[test]
fn word_helpers_match_str_methods() {
    let texts = [
        "",
        "  ",
        "O’Neill's well-known plan, “done” — 42 times!",
        "Ünïcödé Wörds ÀND ǅemal Straße ΣΟΦΙΑ ’90s",
        "-'’- a-b 'c' ’d’ e\u{a0}f\tg",
    ];
    for t in texts {
        let mut got = Vec::new();
        for_each_word(t, |w| got.push(w.to_string()));
        let want: Vec<String> = t
            .split(|ch: char| !ch.is_alphanumeric() && ch != '’' && ch != '\'' && ch != '-')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        assert_eq!(got, want, "{t:?}");
        let words: Vec<String> = t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect();
        assert_eq!(normalise(t), words.join(" "), "{t:?}");
    }
}

const MARR: Option<&str> = Some("Ines Marr");

/// Speech verbs and their subjects: verbs of praise and blame, participles, outlets, and a
/// name set off by commas after its role.
#[test]
fn speech_verbs_and_their_subjects() {
    check(&[
        ("role, then the name between commas", "“The ferry will run all winter,” the Calder Port spokesman, Piet Ernst, said on Thursday.", &[("The ferry will run all winter,", Some("Piet Ernst"))]),
        ("a role with no name after it speaks for its organisation (negative)", "“The ferry will run all winter,” the Calder Shipping spokesman said.", &[("The ferry will run all winter,", Some("Calder Shipping"))]),
        ("an outlet by its short name", "Ana Varga edits the Harrow Times.\n\n“The vote was rigged from the start,” the Times wrote.", &[("The vote was rigged from the start,", Some("Harrow Times"))]),
        ("a bare noun names no outlet (negative)", "“The vote was rigged from the start,” the newspaper wrote.", &[("The vote was rigged from the start,", None)]),
        ("accused", "Finance chief Odile Marr accused the dock union of “negotiating through the newspapers every week.”", &[("negotiating through the newspapers every week.", Some("Odile Marr"))]),
        ("thanked", "Senator Amara Quist thanked the volunteers for “turning a car park into a kitchen.”", &[("turning a car park into a kitchen.", Some("Amara Quist"))]),
        ("the object of a blame verb is not its subject (negative)", "Ines Marr then took the floor, accusing Tomas Brekke of “running the port like a private club.”", &[("running the port like a private club.", MARR)]),
        ("participle of manner after by", "Ines Marr answered a question on tolls by insisting that the bridge was “paid for twice over by drivers.”", &[("paid for twice over by drivers.", MARR)]),
        ("second verb after an earlier quotation", "Ines Marr called the plan “a fantasy from start to finish” and likened it to a scheme that was “dead before the ink was dry.”", &[("a fantasy from start to finish", MARR), ("dead before the ink was dry.", MARR)]),
        ("the noun before a participle's comma is its object (negative)", "Ines Marr rejected the claim made by the board in Carrow, pledging to “keep every berth open all year.”", &[("keep every berth open all year.", MARR)]),
        ("an opening participle is not a name", "Weighing in on the debate, Councillor Ines Marr agreed, praising the plan as “the best thing the town has done in years.”", &[("the best thing the town has done in years.", MARR)]),
        ("a dateline is not a subject", "HARROWBY — Councillor Ines Marr on Friday attacked the budget while praising the harbour board as “a model for every town on the coast.”", &[("a model for every town on the coast.", MARR)]),
        ("a cue clause after an inner quotation", "Brekke cannot say that “from his own point of view,” Ines Marr added, saying it should be “up to the harbour board to decide.”", &[("from his own point of view,", MARR), ("up to the harbour board to decide.", MARR)]),
        ("a participle's object is not an inverted subject (negative)", "Ines Marr spoke of her childhood.\n\nShe described her christening “at the old chapel on Mill Street,” recalling summer visits to Lake Orm.", &[("at the old chapel on Mill Street,", MARR)]),
    ]);
}

/// Pronouns and the people they can refer to: gender from a first name, headlines that name
/// nobody.
#[test]
fn pronouns_gender_and_headlines() {
    check(&[
        ("a woman's first name", "Tomas Brekke introduced Dina Oyelaran.\n\n“We followed the evidence,” she said.", &[("We followed the evidence,", Some("Dina Oyelaran"))]),
        ("a man's first name (negative)", "Tomas Brekke introduced Dina Oyelaran.\n\n“We followed the evidence,” he said.", &[("We followed the evidence,", Some("Tomas Brekke"))]),
        ("gender is the person's, not the surname's", "Ana Varga and her husband, Piet Varga, run the ferry.\n\nVarga said the fares would rise. “We have no choice,” she said.", &[("We have no choice,", Some("Ana Varga"))]),
        ("a title-case headline names nobody", "Okafor Slams Port Deal As Talks Collapse\n\n“The deal is dead,” Okafor said on Monday.", &[("The deal is dead,", Some("Okafor"))]),
        ("a headline in sentence case keeps its names (negative)", "Adaeze Okafor says the port deal is over\n\n“The deal is dead,” Okafor said on Monday.", &[("The deal is dead,", OK)]),
        ("a participle takes an earlier speech verb's subject", "The tariff’s “excesses” are sickening, Ines Marr said in Carrow, noting the minister “makes you want to weep.”", &[("makes you want to weep.", MARR)]),
    ]);
}

/// A name taken from the speaker's own appositive, and speech verbs of more than one word.
#[test]
fn appositives_and_phrasal_cues() {
    check(&[
        ("a conjunction before the subject", "But Ines Marr, the head of the Calder Housing Trust, a charity that has sued the council twice, said that “the damage is done.”", &[("the damage is done.", MARR)]),
        ("an appositive without its closing comma", "Piet Alder, president and chief executive of the Harrow Ferry Company stated, “It is not a political problem; it is a sum.”", &[("It is not a political problem; it is a sum.", Some("Piet Alder"))]),
        ("party and state before the role", "Rep. Ana Obi (D-Veld), chair of the Harbour Committee, said that it was “fully committed to an open process.”", &[("fully committed to an open process.", Some("Ana Obi"))]),
        ("an organisation speaks for itself (negative)", "The Harrow Ferry Company, the largest operator on the estuary, said that fares would “rise by a tenth in spring.”", &[("rise by a tenth in spring.", Some("Harrow Ferry Company"))]),
        ("full stops inside an abbreviation", "“If the port does not pay, nobody will,” Sen. Ana Obi (D-N.V.) said Tuesday. “We will not wait.”", &[("If the port does not pay, nobody will,", Some("Ana Obi")), ("We will not wait.", Some("Ana Obi"))]),
        ("a verb form after the quotation is no group", "Ines Marr said she is hopeful the new bill can be “the best of both worlds,” giving towns more power.", &[("the best of both worlds,", MARR)]),
        ("went on", "“You know, it happens, right?” Ines Marr went on, as if she had not heard.", &[("You know, it happens, right?", MARR)]),
        ("issued a statement", "After the vote, Ines Marr issued a statement, “Tonight the harbour has chosen its future.”", &[("Tonight the harbour has chosen its future.", MARR)]),
        ("citing", "Ines Marr, citing “the unique pull of the old harbour,” said the town could win.", &[("the unique pull of the old harbour,", MARR)]),
        ("remembered as names, not quotes (negative)", "The last strike, in 2014, is remembered on the quay as “the long week.”", &[]),
    ]);
}

/// Pronouns are scored over the people named in the last few paragraphs: the main subject of
/// the previous sentence and the current speaker win over the latest name, gender must agree,
/// and an organisation is never `he` or `she`.
#[test]
fn pronoun_scoring() {
    check(&[
        ("gender over the latest name", "Lena Hartvig, the chief nurse, praised the new director, Marcus Feld. “We finally have enough hands at night,” she said.", &[("We finally have enough hands at night,", Some("Lena Hartvig"))]),
        ("the main subject over a named object", "Tove Lindqvist said she had met the harbour master, Ada Rusk, twice. “She listens, but she does not decide,” she said.", &[("She listens, but she does not decide,", Some("Tove Lindqvist"))]),
        ("the current speaker", "“The tide tables are wrong,” Ada Rusk said at the quay, where Tove Lindqvist waited.\n\n“We print them every spring,” she added.", &[("The tide tables are wrong,", Some("Ada Rusk")), ("We print them every spring,", Some("Ada Rusk"))]),
        ("a named object of the other gender (negative)", "Marcus Feld thanked Lena Hartvig for the rota. “It saved the winter,” he said.", &[("It saved the winter,", Some("Marcus Feld"))]),
        ("a team naming a role modifies the person after it", "Harwick Rovers guard Oyelu Tamsor, who scored 22 points in defeat, insisted the club would be back. “This group is not done,” she said.", &[("This group is not done,", Some("Oyelu Tamsor"))]),
        ("a person telling another keeps the subject (negative)", "Oyelu Tamsor told Harwick Rovers fans the club would be back. “This group is not done,” she said.", &[("This group is not done,", Some("Oyelu Tamsor"))]),
        ("a speaker reported in the narrative", "Piet Alder has backed Tomas Brekke for months.\n\nIn Alder’s view, Brekke is the ablest candidate in the race, Alder said.\n\n“He is the sharpest mind on the council,” he says.", &[("He is the sharpest mind on the council,", Some("Piet Alder"))]),
        ("a verb of thought reports no speech (negative)", "Piet Alder has backed Tomas Brekke for months.\n\nIn Alder’s view, Brekke is the ablest candidate in the race, Alder believes.\n\n“He is the sharpest mind on the council,” he says.", &[("He is the sharpest mind on the council,", Some("Tomas Brekke"))]),
        ("never an organisation", "The Calder Ferry Company cut two crossings, Marcus Feld said. “Nobody asked us,” he said.", &[("Nobody asked us,", Some("Marcus Feld"))]),
    ]);
}

/// A quotation inside a sentence that no speech verb governs is said by the sentence's subject,
/// a name or he/she; never by a possessive's owner, a place or a role nobody is named for.
#[test]
fn sentence_subjects() {
    check(&[
        ("a verb of no list", "Tomas Brekke pondered who could still “stand up for the ferry crews in a winter like this.”", &[("stand up for the ferry crews in a winter like this.", Some("Tomas Brekke"))]),
        ("a pronoun subject", "Ines Marr left the meeting early.\n\nShe then implied that the board should be “shown the door before the spring comes.”", &[("shown the door before the spring comes.", MARR)]),
        ("past an opening phrase", "On Tuesday, Ines Marr went further, endorsing eight candidates “who believe in the harbour as much as we do.”", &[("who believe in the harbour as much as we do.", MARR)]),
        ("past an appositive", "Ines Marr, the harbour master, blamed the delays on “a rota that nobody in the port office understands.”", &[("a rota that nobody in the port office understands.", MARR)]),
        ("a possessive names no speaker (negative)", "Ines Marr’s plan promised “a berth for every boat in the harbour by spring.”", &[("a berth for every boat in the harbour by spring.", None)]),
        ("a place is no speaker (negative)", "In Carrow, the new ferry timetable was “a mess from the first week of the winter.”", &[("a mess from the first week of the winter.", None)]),
        ("a pronoun after a full title's full stop", "The ferry will stop in May, said Oskar Linde, the director of the Brannock Ferry Company. He added: “We have no boats left to sail.”", &[("We have no boats left to sail.", Some("Oskar Linde"))]),
    ]);
}

/// Names opened by a word that is otherwise a stop word, and roles between an organisation and
/// a person after a lower-case modifier.
#[test]
fn names_opened_by_stop_words_and_roles() {
    check(&[
        ("New opens a place's name", "“We cannot wait for spring,” said New Carrow Mayor Tobi Lindqvist.", &[("We cannot wait for spring,", Some("Tobi Lindqvist"))]),
        ("a given name that is a modal verb", "“The tolls pay for the bridge,” said Will Harrowby, an engineer.", &[("The tolls pay for the bridge,", Some("Will Harrowby"))]),
        ("a modifier, an organisation and a role before the name", "“The ledger was never audited,” former Calder Port agent Ines Marr explained.", &[("The ledger was never audited,", MARR)]),
        ("an inverted cue after a comma further on", "Okafor “won the port towns by a mile” in the 2019 race, said harbour historian Ines Marr. “Nobody expected it.”", &[("won the port towns by a mile", MARR), ("Nobody expected it.", MARR)]),
        ("a participle after a comma further on is no inverted cue (negative)", "Ines Marr called the levy “a tax on the tide” in March, recalling Tomas Brekke.", &[("a tax on the tide", MARR)]),
        ("a preposition ending like a role is no role", "Tomas Brekke spent the day on the quay.\n\nAt the town hall, Brekke went after Marr, calling her “a tired old weathervane.”", &[("a tired old weathervane.", Some("Tomas Brekke"))]),
        ("a role between a subject and a name (negative)", "At the town hall, harbour organiser Ines Marr went after the board, calling it “a total farce.”", &[("a total farce.", MARR)]),
        ("an owner's person after an inverted cue", "“It will not be easy,” said Veldmoor’s Tomas Brekke, a consultant.", &[("It will not be easy,", Some("Tomas Brekke"))]),
        ("a plural owner's person, its possessive an apostrophe alone", "“The tolls stay,” said the Carrow Harbourmasters’ Ines Marr.", &[("The tolls stay,", MARR)]),
        ("a plural owner's person after a heading's byline", "FERRY WATCH—“Night boats return,” by the Ledgers' Ana Obi: “The night ferry will run again from June.”", &[("The night ferry will run again from June.", Some("Ana Obi"))]),
        ("a plural with no person after its apostrophe stays (negative)", "“The tolls stay,” said the Harbourmasters’ council in a statement.", &[("The tolls stay,", Some("Harbourmasters"))]),
        ("an owner with no person after it stays (negative)", "“It will not be easy,” said Veldmoor’s council in a statement.", &[("It will not be easy,", Some("Veldmoor"))]),
        ("a heading, a dash, then the person before the colon", "The polls of the week.\n\nHARBOUR SURVEYS MISSED THE SWING - Ana Obi: “The numbers moved late and nobody saw it.”", &[("The numbers moved late and nobody saw it.", Some("Ana Obi"))]),
        ("a colon with no dash keeps the first name (negative)", "Harbour manager Ana Obi was blunt: “The numbers moved late and nobody saw it.”", &[("The numbers moved late and nobody saw it.", Some("Ana Obi"))]),
        ("a place's role names its holder", "Governor Ines Marr toured the pier in Carrow.\n\n“We will rebuild the pier,” the Carrow governor said.", &[("We will rebuild the pier,", MARR)]),
        ("a statement's issuer speaks through it", "Ines Marr issued a statement saying the pier was “no longer safe for anyone at all.”", &[("no longer safe for anyone at all.", MARR)]),
        ("a body's statement is the body's", "The Harbour Board released a statement saying that the pier was “no longer safe for anyone at all.”", &[("no longer safe for anyone at all.", Some("Harbour Board"))]),
        ("a participle after people who are no message is not the subject's (negative)", "Ines Marr passed a crowd of fishermen saying the pier was “no longer safe for anyone at all.”", &[("no longer safe for anyone at all.", None)]),
        ("a place's role with no holder is no place (negative)", "“We will rebuild the pier,” the Carrow governor said.", &[("We will rebuild the pier,", None)]),
        ("a state after a town is no subject (negative)", "Speaking at a fair in Harwick, New Carrow, Ines Marr went after the board, calling it “a club for its own members.”", &[("a club for its own members.", MARR)]),
        ("a span of time opening the sentence is no name", "Hours later, Okafor returned the favour, telling reporters, “Mara and I have been friends for years.”", &[("Mara and I have been friends for years.", Some("Okafor"))]),
        ("a surname after a span of time still speaks (negative)", "Weeks later, Adaeze Okafor told the Gazette, “Nothing has changed.”", &[("Nothing has changed.", OK)]),
        ("a person of a town, a comma, a region: the person speaks", "Ines Varga of Carrow, Veldmoor says she hopes the mayor keeps “doing what she is doing.”", &[("doing what she is doing.", VARGA)]),
        ("a second person after the comma is no region (negative)", "Ines Varga of Carrow, Tomas Lind says the mayor should keep “doing what she is doing.”", &[("doing what she is doing.", Some("Tomas Lind"))]),
        ("pointed out is a speech verb", "As Ines Marr pointed out, “Nobody has paid the toll since the bridge opened.”", &[("Nobody has paid the toll since the bridge opened.", MARR)]),
        ("pointed at is none (negative)", "As Ines Marr pointed at the gate, the crowd began a chant of “Open the bridge.”", &[("Open the bridge.", None)]),
        ("an infinitive of speech after an adjective and was", "But the debate was so quiet that Ines Marr was prompted to say, “I cannot believe how civil it has been.”", &[("I cannot believe how civil it has been.", MARR)]),
        ("an infinitive of speech after seemed", "Ines Marr seemed to say, “I will not stand again.”", &[("I will not stand again.", MARR)]),
        ("an infinitive of another verb is none (negative)", "Ines Marr was prompted to leave, and the crowd sang “Open the bridge.”", &[("Open the bridge.", None)]),
        ("a person named after an owner's role", "The Veldmoor Ledger printed the letter.\n\n“The ferry will run,” the Ledger’s senior editor Mara Quill responded.", &[("The ferry will run,", Some("Mara Quill"))]),
        ("an owner's role with no name keeps the owner (negative)", "The Veldmoor Ledger printed the letter.\n\n“The ferry will run,” the Ledger’s senior editor responded.", &[("The ferry will run,", Some("Veldmoor Ledger"))]),
        ("a participle of speech after upon", "Ines Marr drew boos upon saying, “The council heard the town.”", &[("The council heard the town.", MARR)]),
        ("a participle after a noun describes the noun", "As Ines Marr put it in her memo to staff explaining the sale, “We will not sell the quay.”", &[("We will not sell the quay.", MARR)]),
        ("a participle after a comma is still the subject's (negative)", "Ines Marr wrote to the staff, explaining, “We will not sell the quay.”", &[("We will not sell the quay.", MARR)]),
        ("a suffix's period before an appositive", "“Twitter sells books,” Tomas Brekke Jr., the director of the Carrow Library, said at a news conference.", &[("Twitter sells books,", Some("Tomas Brekke Jr"))]),
        ("Will after a quotation ending with a comma is a given name", "“Twitter sells books,” Will Estrada, the chairman for the district, said.", &[("Twitter sells books,", Some("Will Estrada"))]),
        ("Will after a quotation ending with a full stop opens a question (negative)", "“Twitter sells books.” Will Estrada agree? Nobody knows.", &[("Twitter sells books.", None)]),
        ("a title inside the appositive after the quotation", "“We have had better conventions,” delegate Tomas Brekke, wearing a “Marr for Mayor” pin, said as the confetti fell.", &[("We have had better conventions,", Some("Tomas Brekke"))]),
        ("a title inside the appositive before the quotation", "As Ines Marr, author of “The Unwritten Harbour,” put it, “The council should remember who built the quay.”", &[("The council should remember who built the quay.", MARR)]),
        ("a partial quotation is no title: it keeps its own cue (negative)", "Ines Marr called the levy a “total failure” and “a tax on the tide,” Tomas Brekke said.", &[("total failure", MARR), ("a tax on the tide,", Some("Tomas Brekke"))]),
        ("an office's place, then its holder after a comma", "Labour MP for Elwin North, Dafydd Rees, wrote on X: “Another tax dreamed up in Whitehall.”", &[("Another tax dreamed up in Whitehall.", Some("Dafydd Rees"))]),
        ("an office's portfolio and its holder with no comma (negative)", "Minister for Coastal Affairs Ines Varga said: “The wall will be built.”", &[("The wall will be built.", VARGA)]),
        ("an unnamed asker is nobody, not a person named before", "Dana Whitcomb spoke after the vote. “Is this the end?” one reporter asked.", &[("Is this the end?", None)]),
        ("an unnamed spokesman speaks for the organisation (negative)", "The Harbour Board met on Monday. “The pier is closed,” a spokesman said.", &[("The pier is closed,", Some("Harbour Board"))]),
        ("the reporter named before is that reporter (negative)", "Ines Marr, a reporter for the Ledger, pressed her. “Is this the end?” the reporter asked.", &[("Is this the end?", MARR)]),
        ("a family description calls back the woman named before", "A mother-of-three is angry.\n\nKerry Blaine, 38, said: “It is not what we were promised.”\n\n“They did not even send a letter,” the mother-of-three added. “I found out online.”", &[("It is not what we were promised.", Some("Kerry Blaine")), ("They did not even send a letter,", Some("Kerry Blaine")), ("I found out online.", Some("Kerry Blaine"))]),
        ("a family description with nobody named is nobody (negative)", "“They did not even send a letter,” the father-of-two added.", &[("They did not even send a letter,", None)]),
    ]);
}

#[test]
fn what_comes_before_a_name() {
    const VALDE: Option<&str> = Some("Oren Valde");
    const TOVELL: Option<&str> = Some("Mira Tovell");
    check(&[
        ("a rank's ordinal between a service and a rank", "“The tide is early again,” said Navy 1st Lt. Oren Valde.", &[("The tide is early again,", VALDE)]),
        ("a rank's ordinal before a rank without its period", "“The tide is early again,” said Coast Guard 2nd Lt Oren Valde.", &[("The tide is early again,", VALDE)]),
        ("an ordinal after a stop word, before no name, is no rank (negative)", "The 2nd Lt. in charge, Oren Valde, spoke first.\n\n“We held the line,” he said.", &[("We held the line,", VALDE)]),
        ("a corporal's abbreviated rank", "“The wall will hold,” said Marine Cpl. Oren Valde.", &[("The wall will hold,", VALDE)]),
        ("a corporal's rank written after the name is no title (negative)", "“The wall will hold,” said Oren Valde, a corporal.", &[("The wall will hold,", VALDE)]),
        ("a shared role between a programme and a name", "“We will build the pier this year,” mused Harbour Hour co-host Mira Tovell.", &[("We will build the pier this year,", TOVELL)]),
        ("a country's initials before a title", "“We will not settle,” said U.N. Ambassador Oren Valde.", &[("We will not settle,", VALDE)]),
        ("a country's initials inside a title after a quotation", "“We will not settle,” Assistant U.S. Attorney Mira Tovell wrote.", &[("We will not settle,", TOVELL)]),
        ("initials that end a sentence before a name stay apart (negative)", "Mira Tovell moved to the U.S. Oren Valde stayed.\n\n“We will not settle,” he said.", &[("We will not settle,", VALDE)]),
        ("a sentence opening on its topic with Of", "Ines Varga spoke first. Of Okafor, Oren Valde, who has backed Varga, said, “She is flat-out scary.”", &[("She is flat-out scary.", VALDE)]),
        ("Of inside a name stays (negative)", "“We object to the tolls,” said the Guild Of Carrow Pilots.", &[("We object to the tolls,", Some("Guild Of Carrow Pilots"))]),
        ("a co- word that names no one is no role (negative)", "“We will build the pier this year,” Mira Tovell said of the co-operation with Harbour Hour.", &[("We will build the pier this year,", TOVELL)]),
    ]);
}

#[test]
fn dash_bylines() {
    const MARR_OF_CARROW: Option<&str> = Some("Ilse Marr");
    check(&[
        ("a dash and a name under quotations standing alone", "The quotes of the day.\n\n“The whole idea needs to stop.”\n\n— Ilse Marr, Carrow.\n\n“We need more ferries.”\n\n-Mayor Oren Valde, speaking at the quay.", &[("The whole idea needs to stop.", MARR_OF_CARROW), ("We need more ferries.", Some("Oren Valde"))]),
        ("a heading between dashes names nobody (negative)", "Ines Marr opened the meeting on the quay.\n\n“We need more ferries.”\n\n– Talks Resume –\n\nThe council met again on Monday.", &[("We need more ferries.", MARR)]),
        ("a long paragraph after a dash is narrative (negative)", "Ines Marr opened the meeting on the quay.\n\n“We need more ferries.”\n\n— Harbour Office statement on the ferries, the crews, the tolls and the winter timetable for next year.", &[("We need more ferries.", MARR)]),
        ("one unknown word after a dash is no byline (negative)", "Ines Marr opened the meeting on the quay.\n\n“We need more ferries.”\n\n— Quay.", &[("We need more ferries.", MARR)]),
    ]);
}
