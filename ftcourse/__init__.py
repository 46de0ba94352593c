"ftcourse: the library the course's notebooks export. The short API below loads lazily: `from ftcourse import load_model, train_sft`."
__version__ = "0.0.1"

# name -> module of the one entry point for each concern (chapter order); `ftcourse.<module>` has the rest
API = {
    "setup_colab": "env", "smoke_mode": "env", "environment_report": "env", "hardware_summary": "env", "FtcourseError": "env",
    "load_model": "models", "quantization_config": "models", "model_report": "models", "generate_replies": "models", "chat": "models",
    "read_jsonl": "loop", "load_task_split": "loop", "to_messages": "loop", "to_prompt_completion": "loop", "SFTRecipe": "loop",
    "LoraSettings": "loop", "train_sft": "loop",
    "perplexity": "evaluation", "score_predictions": "evaluation", "evaluate_generation": "evaluation",
    "QuickstartConfig": "quickstart", "run_quickstart": "quickstart",
    "read_records": "data", "write_records": "data", "convert_row": "data", "clean_rows": "cleaning", "stratified_split": "prepare",
    "find_leaks": "prepare", "tokenize_example": "prepare",
    "TrainJob": "train", "train_job": "train", "train_classifier": "train",
    "ServeConfig": "serve", "ChatEngine": "serve", "merge_adapter": "serve", "create_app": "api",
}
__all__ = ["__version__", *API]

def __getattr__(name):
    if name not in API: raise AttributeError(f"module 'ftcourse' has no attribute {name!r}")
    import importlib
    if name in ("evaluate_generation", "score_predictions"): importlib.import_module("ftcourse.metrics")   # registers every metric
    return getattr(importlib.import_module(f"ftcourse.{API[name]}"), name)

def __dir__(): return sorted(__all__)
