/**
 * Mood, emotions and mental-health ratings. Momentary ratings share one 0-10 numeric rating scale
 * (described per variable); validated questionnaires keep their own total-score ranges and LOINC codes
 * (PHQ-9 44261-6, PHQ-2 55758-7, GAD-7 70274-6). SNOMED CT findings where they match.
 */
import type { CodingSeed, VariableSeed } from "../types";
import { variableBuilder } from "./builders";
import { hk, loinc, snomed } from "./codes";

const score = variableBuilder({
  category: "mood",
  unit: "{score}",
  min: 0,
  isInputFactor: false,
  isOutcome: true,
  combine: "mean",
});

/** A 0-10 self-rating; `anchors` says which end is which. */
function rating(
  slug: string,
  name: string,
  codes: CodingSeed[],
  synonyms: string[],
  anchors: string,
  isInputFactor = false,
) {
  return score({
    slug,
    name,
    max: 10,
    isInputFactor,
    codes,
    synonyms,
    description: `Self-rated on a 0-10 scale: ${anchors}.`,
  });
}

/** A validated questionnaire's total score, on the instrument's own scale. */
function questionnaire(
  slug: string,
  name: string,
  codes: CodingSeed[],
  synonyms: string[],
  max: number,
  description: string,
) {
  return score({ slug, name, max, codes, synonyms, description });
}

export const moodVariables: readonly VariableSeed[] = [
  rating(
    "overall-mood",
    "Overall mood",
    [],
    ["Mood", "Overall Mood", "Mood rating", "How are you feeling", "Happiness"],
    "0 = very bad, 5 = neutral, 10 = excellent",
  ),
  rating(
    "energy-level",
    "Energy level",
    [],
    ["Energy", "Energy Level", "Vitality"],
    "0 = no energy at all, 10 = full of energy",
  ),
  rating(
    "stress-level",
    "Stress level",
    [snomed("73595000", "Stress")],
    ["Stress", "Stress Level", "Perceived stress"],
    "0 = no stress, 10 = extreme stress",
    true,
  ),
  rating(
    "anxiety-level",
    "Anxiety",
    [snomed("48694002", "Anxiety")],
    ["Anxiety", "Anxious", "Nervousness", "Worry"],
    "0 = not anxious, 10 = extremely anxious",
  ),
  rating(
    "depressed-mood",
    "Depressed mood",
    [snomed("366979004", "Depressed mood")],
    ["Depression", "Depressed", "Sadness", "Low mood", "Feeling down"],
    "0 = not depressed, 10 = extremely depressed",
  ),
  rating(
    "irritability",
    "Irritability",
    [snomed("55929007", "Feeling irritable")],
    ["Irritability", "Irritable", "Anger", "Frustration"],
    "0 = not irritable, 10 = extremely irritable",
  ),
  rating(
    "mood-swings",
    "Mood swings",
    [hk("HKCategoryTypeIdentifierMoodChanges")],
    ["Mood Changes", "Mood Swings", "Emotional lability"],
    "0 = none, 10 = extreme mood swings",
  ),
  rating(
    "calmness",
    "Calmness",
    [],
    ["Calm", "Calmness", "Relaxation", "Relaxed"],
    "0 = not calm at all, 10 = completely calm",
  ),
  rating("motivation", "Motivation", [], ["Motivation", "Drive"], "0 = no motivation, 10 = highly motivated"),
  rating(
    "loneliness",
    "Loneliness",
    [],
    ["Loneliness", "Lonely", "Social isolation (felt)"],
    "0 = not lonely, 10 = extremely lonely",
  ),
  rating(
    "life-satisfaction",
    "Life satisfaction",
    [],
    ["Life Satisfaction", "Wellbeing", "Well-being"],
    "0 = not at all satisfied, 10 = completely satisfied",
  ),
  questionnaire(
    "phq-9-total",
    "PHQ-9 total score",
    [loinc("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]")],
    ["PHQ-9", "PHQ9", "PHQ-9 score", "Depression score"],
    27,
    "Patient Health Questionnaire-9 total, 0-27 (5, 10, 15, 20 mark mild, moderate, moderately severe and severe depression).",
  ),
  questionnaire(
    "phq-2-total",
    "PHQ-2 total score",
    [loinc("55758-7", "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]")],
    ["PHQ-2", "PHQ2", "PHQ-2 score"],
    6,
    "Patient Health Questionnaire-2 total, 0-6 (3 or more is a positive depression screen).",
  ),
  questionnaire(
    "gad-7-total",
    "GAD-7 total score",
    [loinc("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]")],
    ["GAD-7", "GAD7", "GAD-7 score", "Anxiety score"],
    21,
    "Generalized Anxiety Disorder-7 total, 0-21 (5, 10, 15 mark mild, moderate and severe anxiety).",
  ),
];
