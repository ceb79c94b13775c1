//! The check-worthiness model on the field's labelled debate sentences
//! (`../shared/data/claims-dev`): cross-validated by debate, it must rank each debate's
//! sentences clearly better than sentence length and the hand-set rules, and its
//! probability must be calibrated on ClaimBuster. Skipped with a message when the data is
//! absent. Also checks that the shipped model is the one the analyser loads.

use std::path::Path;

use unspin::analyse::claims::debates;
use unspin::analyse::claims::worthiness::{self, FEATURE_VERSION};
use unspin::analyse::claims::worthiness_trainer::{self, TrainConfig};

fn data() -> Option<debates::DevData> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/claims-dev");
    if !debates::is_dev_dir(&dir) {
        eprintln!(
            "skipped: {} is absent (the field's check-worthiness data)",
            dir.display()
        );
        return None;
    }
    Some(debates::read_dir(&dir).expect("the development data reads"))
}

#[test]
fn the_learned_scorer_beats_length_and_rules_on_every_set() {
    let Some(data) = data() else { return };
    assert_eq!(
        data.claimbuster
            .iter()
            .map(|d| d.sentences.len())
            .sum::<usize>(),
        9674
    );
    assert_eq!(data.ct19.len(), 19);
    let cfg = TrainConfig::default();
    let prepared = worthiness_trainer::prepare(&data, cfg.bits);
    let oof = worthiness_trainer::cross_validate(&prepared, &cfg);
    let names: Vec<&str> = data.sets().iter().map(|(n, _)| *n).collect();
    let reports = worthiness_trainer::report(&names, &prepared, &oof);
    for r in &reports {
        let (length, rules, model) = (r.methods[0].0, r.methods[1].0, r.methods[3].0);
        eprintln!(
            "{}: MAP length {:.3} rules {:.3} model {:.3}; P@5 {:.3}",
            r.name, length.map, rules.map, model.map, model.p5
        );
        assert!(
            model.map > 1.5 * length.map,
            "{}: {model:?} vs {length:?}",
            r.name
        );
        assert!(
            model.map > rules.map + 0.05,
            "{}: {model:?} vs {rules:?}",
            r.name
        );
        // Scores are continuous: ties only between identical sentences and questions.
        assert!(
            r.methods[3].1 * 10 > r.sentences * 7,
            "{}: {} distinct",
            r.name,
            r.methods[3].1
        );
    }
    let ct19 = reports.iter().find(|r| r.name == "checkthat-2019").unwrap();
    // Measured 0.264 / 0.347 (`unspin eval claims --data ../shared/data/claims-dev`).
    assert!(ct19.methods[3].0.map >= 0.22, "{:?}", ct19.methods[3]);
    assert!(ct19.methods[3].0.p5 >= 0.30, "{:?}", ct19.methods[3]);
    let cb = reports.iter().find(|r| r.name == "claimbuster").unwrap();
    // Calibrated to ClaimBuster's labels (measured ECE 0.007, AUC 0.924).
    assert!(cb.calibration.ece < 0.03, "{:?}", cb.calibration);
    assert!(cb.auc.unwrap() > 0.9, "{:?}", cb.auc);
}

#[test]
fn the_shipped_model_is_loaded_and_current() {
    let m = worthiness::default_model().expect("models/claims-checkworthiness-v1.unspin loads");
    assert_eq!(m.header.kind, worthiness::MODEL_KIND);
    assert_eq!(m.model.feature_version, FEATURE_VERSION);
    assert_eq!(m.model.weights.len(), 1 << m.model.bits);
    assert!(m.model.calibration.0 > 0.0);
    assert!(m.header.metrics["cross_validation"].is_array());
}
