// Predictor
