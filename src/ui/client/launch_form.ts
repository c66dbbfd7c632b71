/// <reference lib="dom" />
// The launch form: show only the fields that apply to the chosen source (plant and unit for KOSPO,
// stations for ASOS), and only the units of the chosen plant. Without this script every field shows.
const form = document.querySelector<HTMLFormElement>("form.flow-form");
if (form) {
  const source = form.querySelector<HTMLSelectElement>("select[name=source]");
  const plant = form.querySelector<HTMLSelectElement>("select[name=plant]");
  const unit = form.querySelector<HTMLSelectElement>("select[name=unit]");
  const show = (name: string, visible: boolean) => {
    const f = form.querySelector<HTMLElement>(`[data-field="${name}"]`);
    if (f) f.hidden = !visible;
  };
  const update = () => {
    const s = source?.value ?? "";
    show("plant", s === "kospo");
    show("unit", s === "kospo" && Boolean(plant?.value));
    show("stations", s === "asos");
    if (unit && plant) {
      for (const o of Array.from(unit.options)) o.hidden = o.value !== "0" && o.dataset.plant !== plant.value;
      if (unit.selectedOptions[0]?.hidden) unit.value = "0";
    }
  };
  source?.addEventListener("change", update);
  plant?.addEventListener("change", update);
  update();
}
