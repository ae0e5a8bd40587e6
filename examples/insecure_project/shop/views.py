from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


def catalogue(request):
    return HttpResponse("catalogue")


@csrf_exempt
@require_POST
def add_to_cart(request):
    request.session.setdefault("cart", []).append(request.POST["sku"])
    return JsonResponse({"items": len(request.session["cart"])})


def payment_webhook(request):
    return HttpResponse(status=204)
