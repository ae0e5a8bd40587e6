from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from shop import views

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("cart/add/", views.add_to_cart, name="add-to-cart"),
    path("webhooks/payment/", csrf_exempt(views.payment_webhook), name="payment-webhook"),
]
